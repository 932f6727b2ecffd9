using EpiGrid.WebHost.Api;
using EpiGrid.Cells;
using EpiGrid.Provinces;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// What <see cref="GridHub"/> pushes to its clients. A typed hub sends each method's C# name as it is, and clients
/// match handler names case-sensitively: the names are the wire contract (alert, alertUpdated, ...), not C# style.
/// </summary>
#pragma warning disable IDE1006 // lower camelCase on purpose: these names go on the wire verbatim.
public interface IGridClient
{
    /// <summary>A new alert for one of the connection's groups.</summary>
    Task alert(AlertPayload alert);
    /// <summary>An alert changed (acknowledged, escalated).</summary>
    Task alertUpdated(AlertPayload alert);
    Task cellChanged(CellSummary cell);
    /// <summary>A county's totals and colours, without case detail.</summary>
    Task countyChanged(CountyResponse county);
    Task provinceChanged(ProvinceSummary province);
    /// <summary>A changed resumption figure (<see cref="ResumptionApi.PushMethod"/>).</summary>
    Task resumptionChanged(ResumptionPush change);
}
#pragma warning restore IDE1006

/// <summary>A changed resumption figure as pushed: scope ("county", "city" or "province"), its code and the figures.</summary>
public sealed record ResumptionPush(string Scope, string Code, ResumptionResponse Figures);
