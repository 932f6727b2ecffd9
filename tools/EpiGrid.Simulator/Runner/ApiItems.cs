using System.Globalization;
using System.Text.Json.Nodes;
using EpiGrid.Simulator.Outbreak;
using EpiGrid.Cells;

namespace EpiGrid.Simulator.Runner;

/// <summary>
/// Places an outbreak in real time and makes its reports batch items of the public API. Ids get a per-run
/// prefix, so running the same seed again against the same store adds a new outbreak instead of conflicting.
/// </summary>
public sealed record ApiItems(string RunPrefix, DateTimeOffset Origin)
{
    static readonly TimeSpan Zhejiang = TimeSpan.FromHours(8);

    public string Id(string id) => $"{RunPrefix}-{id}";

    public string Moment(TimeSpan at) => (Origin + at).ToOffset(Zhejiang).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The batch item for a report, or null when the platform has no API for it yet (check-ins).</summary>
    public JsonObject? For(SimReport report) => report switch
    {
        TravellerArrival t => new JsonObject
        {
            ["type"] = "traveller", ["cellId"] = t.CellId, ["travellerId"] = Id(t.TravellerId), ["originArea"] = t.OriginArea,
            ["originRisk"] = t.OriginRisk, ["arrivedAt"] = Moment(t.At), ["mode"] = t.Mode, ["quarantine"] = t.Quarantine,
        },
        CaseReport c => new JsonObject
        {
            ["type"] = "case", ["cellId"] = c.CellId, ["caseId"] = Id(c.CaseId), ["kind"] = c.Kind.Name(), ["local"] = c.Local,
            ["clusterId"] = c.ClusterId is null ? null : Id(c.ClusterId), ["occurredAt"] = Moment(c.At),
        },
        CaseStatusReport s => new JsonObject
        {
            ["type"] = "status", ["cellId"] = s.CellId, ["caseId"] = Id(s.CaseId), ["status"] = s.Status.Name(), ["occurredAt"] = Moment(s.At),
        },
        _ => null,
    };

    /// <summary>Path and body of the single-report endpoint for a case or traveller report.</summary>
    public (string Path, JsonObject Body)? Single(SimReport report)
    {
        if (For(report) is not { } item) return null;
        var path = report switch
        {
            TravellerArrival t => $"/api/v1/cells/{t.CellId}/travellers",
            CaseReport c => $"/api/v1/cells/{c.CellId}/cases",
            CaseStatusReport s => $"/api/v1/cells/{s.CellId}/cases/{Id(s.CaseId)}/status",
            _ => null,
        };
        if (path is null) return null;
        item.Remove("type");
        item.Remove("cellId");
        if (report is CaseStatusReport) item.Remove("caseId");
        return (path, item);
    }
}
