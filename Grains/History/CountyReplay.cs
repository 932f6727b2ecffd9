using EpiGrid.Geography;
using EpiGrid.Grains.Storage;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.History;

/// <summary>
/// One county's history replayed in the order things happened in the world. The cells' events are folded with
/// the live <see cref="CellState"/> and judged by the live county's own <see cref="CountyProjection"/>, so a replayed
/// colour is the colour the live county would compute from the same events.
/// </summary>
public sealed class CountyReplay
{
    readonly List<StoredEvent> events;
    readonly Dictionary<string, CellState> cells = new(StringComparer.Ordinal);
    readonly TimeSpan utcOffset;
    int next;

    /// <param name="events">Case, traveller and control events of the county's cells, already limited to what was known.</param>
    public CountyReplay(County county, TimeSpan utcOffset, IEnumerable<StoredEvent> events)
    {
        County = county;
        this.utcOffset = utcOffset;
        this.events = events.OrderBy(e => e.Data!.Meta.OccurredAt).ThenBy(e => e.Seq).ToList();
    }

    public County County { get; }
    public IReadOnlyList<StoredEvent> Events => events;
    public int Travellers => cells.Values.Sum(c => c.Travellers.Count);

    /// <summary>Applies the events that occurred up to <paramref name="time"/> and returns them.</summary>
    public IReadOnlyList<StoredEvent> AdvanceTo(DateTimeOffset time)
    {
        var applied = new List<StoredEvent>();
        for (; next < events.Count && events[next].Data!.Meta.OccurredAt <= time; next++)
        {
            var e = events[next];
            var cellId = e.Stream[(StreamKeys.Cell("").Length)..];
            if (!cells.TryGetValue(cellId, out var cell)) cells[cellId] = cell = new CellState(cellId);
            cell.Apply(e.Data!, e.Version);
            applied.Add(e);
        }
        return applied;
    }

    IEnumerable<CaseFact> Cases => cells.Values.SelectMany(c => c.Cases.Values);

    public CountyIndicators Indicators(DateTimeOffset now) => CountyProjection.Indicators(County, Cases, now, utcOffset);

    /// <summary>The decision at <paramref name="at"/> of the version of <paramref name="ruleSet"/> in force that local day.</summary>
    public ColourDecision Judge(RuleSetVersions ruleSet, DateTimeOffset at) => ruleSet.InForce(at.LocalDay(utcOffset)).Evaluate(Indicators(at));

    /// <summary>The county as it stood at <paramref name="at"/>, the events up to it applied (<see cref="AdvanceTo"/>).</summary>
    public CountyView View(DateTimeOffset at, RuleBook rules) =>
        CountyProjection.View(County, Cases, Travellers, at, utcOffset, rules, controls: cells.Values.Select(c => c.Control));

    /// <summary>
    /// The moments in (from, to] at which a colour can change: when an event occurred, and each local midnight
    /// (windows of 7 and 14 days close at midnight). Between them the indicators cannot move.
    /// </summary>
    public IEnumerable<DateTimeOffset> ChangePoints(DateTimeOffset from, DateTimeOffset to)
    {
        var midnights = Midnights(from, to);
        var occurred = events.Select(e => e.Data!.Meta.OccurredAt).Where(t => t > from && t <= to);
        return midnights.Concat(occurred).Distinct().Order();
    }

    IEnumerable<DateTimeOffset> Midnights(DateTimeOffset from, DateTimeOffset to)
    {
        var day = from.LocalDay(utcOffset).AddDays(1);
        for (var t = day.Start(utcOffset); t <= to; day = day.AddDays(1), t = day.Start(utcOffset))
            yield return t;
    }
}
