using Microsoft.AspNetCore.SignalR;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Web;

/// <summary>
/// Anonymous and send-only (/hubs/public): colour changes of counties and their counts of closed cells ("countyChanged"), the counts per colour
/// ("provinceChanged"), never a cell, case or person. It has no methods a client may call.
/// </summary>
public sealed class PublicHub : Hub<IPublicClient>
{
    public const string Path = "/hubs/public";

    /// <summary>Relays the public part of a push batch (called by <see cref="Alerts.PushRelay"/>).</summary>
    public static Task Relay(IHubContext<PublicHub, IPublicClient> hub, PushBatch batch, Province province)
    {
        var sends = batch.Counties.Select(c => hub.Clients.All.countyChanged(
            new PublicCountyChange(c.Code, PublicMapSource.ColoursOf(c), c.EvaluatedAt, c.Controls.Closed))).ToList();
        if (batch.Province is { } p)
            sends.Add(hub.Clients.All.provinceChanged(
                new PublicProvinceChange(p.ColourCounts, p.DefaultRuleSet, province.LocalDay(p.At), p.At)));
        return Task.WhenAll(sends);
    }
}

/// <summary>What <see cref="PublicHub"/> pushes. The names go on the wire as they are (see <see cref="Alerts.IGridClient"/>).</summary>
#pragma warning disable IDE1006 // lower camelCase on purpose: these names go on the wire verbatim.
public interface IPublicClient
{
    Task countyChanged(PublicCountyChange county);
    Task provinceChanged(PublicProvinceChange province);
}
#pragma warning restore IDE1006
