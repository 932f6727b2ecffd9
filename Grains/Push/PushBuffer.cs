using EpiGrid.Alerts;
using EpiGrid.Resumption;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.Grains.Push;

/// <summary>
/// What waits to be pushed to one backplane: new alerts by sequence number (a batch put back after a failed push
/// never doubles one), everything else by key with the latest state winning. Bounded: at most <see cref="MaxAlerts"/>
/// alerts, the oldest given up first; the rest is bounded by the number of cells, counties and alerts that exist.
/// </summary>
public sealed class PushBuffer
{
    /// <summary>Our choice: ten thousand alerts is hours of a province-wide outbreak's alerts; clients catch up the rest.</summary>
    public const int MaxAlerts = 10_000;

    readonly SortedDictionary<long, AlertView> alerts = [];
    readonly Dictionary<(long, string), AlertLink> links = [];
    readonly Dictionary<string, AlertView> alertUpdates = new(StringComparer.Ordinal);
    readonly Dictionary<string, CellSummary> cells = new(StringComparer.Ordinal);
    readonly Dictionary<string, CountyView> counties = new(StringComparer.Ordinal);
    readonly Dictionary<(string, string, DateOnly), ResumptionChange> resumption = [];
    ProvinceSummary? province;

    /// <summary>When the oldest content still waiting arrived (Stopwatch timestamp), or null when empty.</summary>
    public long? Since { get; private set; }

    public bool IsEmpty => alerts.Count + alertUpdates.Count + cells.Count + counties.Count + resumption.Count == 0 && province is null;
    public int AlertCount => alerts.Count;

    /// <summary>Adds newer content; returns how many alerts were given up to stay within <see cref="MaxAlerts"/>.</summary>
    public int Add(PushBatch batch, long arrivedAt)
    {
        if (batch.IsEmpty) return 0;
        Since = Since is { } s ? Math.Min(s, arrivedAt) : arrivedAt;
        foreach (var a in batch.Alerts) alerts[a.Seq] = a;
        foreach (var l in batch.Links ?? []) links[(l.Seq, l.Group)] = l;
        foreach (var a in batch.AlertUpdates) alertUpdates[a.Alert.Id] = a;
        foreach (var c in batch.Cells) cells[c.CellId] = c;
        foreach (var c in batch.Counties) counties[c.Code] = c;
        foreach (var r in batch.Resumption ?? []) resumption[(r.Scope, r.Code, r.Figures.Day)] = r;
        province = batch.Province ?? province;
        return Trim();
    }

    /// <summary>
    /// Puts a batch that could not be pushed back under what arrived since: its alerts join the others, its other
    /// content only where nothing newer came for the same key. Returns how many alerts were given up.
    /// </summary>
    public int PutBack(PushBatch batch, long arrivedAt)
    {
        Since = Since is { } s ? Math.Min(s, arrivedAt) : arrivedAt;
        foreach (var a in batch.Alerts) alerts.TryAdd(a.Seq, a);
        foreach (var l in batch.Links ?? []) links.TryAdd((l.Seq, l.Group), l);
        foreach (var a in batch.AlertUpdates) alertUpdates.TryAdd(a.Alert.Id, a);
        foreach (var c in batch.Cells) cells.TryAdd(c.CellId, c);
        foreach (var c in batch.Counties) counties.TryAdd(c.Code, c);
        foreach (var r in batch.Resumption ?? []) resumption.TryAdd((r.Scope, r.Code, r.Figures.Day), r);
        province ??= batch.Province;
        return Trim();
    }

    /// <summary>Everything waiting, as one batch (alerts in sequence order), leaving the buffer empty.</summary>
    public (PushBatch Batch, long Since) Take()
    {
        var taken = (new PushBatch(alerts.Values.ToList(), alertUpdates.Values.ToList(), cells.Values.ToList(), counties.Values.ToList(),
            province, resumption.Values.ToList(), links.Values.ToList()), Since ?? 0);
        alerts.Clear(); links.Clear(); alertUpdates.Clear(); cells.Clear(); counties.Clear(); resumption.Clear();
        province = null;
        Since = null;
        return taken;
    }

    int Trim()
    {
        var dropped = 0;
        while (alerts.Count > MaxAlerts)
        {
            var oldest = alerts.Keys.First();
            alerts.Remove(oldest);
            dropped++;
        }
        if (dropped > 0)
        {
            var first = alerts.Keys.First();
            foreach (var key in links.Keys.Where(k => k.Item1 < first).ToList()) links.Remove(key);
        }
        return dropped;
    }
}
