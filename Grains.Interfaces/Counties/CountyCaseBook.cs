using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EpiGrid.Platform;

namespace EpiGrid.Counties;

/// <summary>A cell's tallies as its register holds them: the stream version they reflect, its travellers and its control.</summary>
public readonly record struct CellTally(string CellId, long Version, int Travellers, CellControl? Control = null);

/// <summary>
/// The cases and cell tallies a county knows, the live half of <see cref="CountyProjection"/>. A cell's facts come in
/// order of its stream versions: a message (<see cref="Apply"/>) is taken when it follows the version the book holds for
/// its cell, a repeat is ignored, and a gap is filled by reading the cell from the store (<see cref="Replace"/>, the
/// cell's rows as one snapshot holds them). Cases older than the indicators' window at the last <see cref="Settle"/> are
/// kept only as counts per cell (<see cref="SettledCounts"/>, <see cref="SettledCases"/>); a message carries a changed
/// case's previous fact, so a settled case that changes is taken off its counts and held whole again. The book's memory
/// follows the county's cells and its last weeks, not its whole history (issue 18). Pure.
/// </summary>
/// <param name="utcOffset">The province's offset from UTC: the local days cases are settled and counted by.</param>
public sealed class CountyCaseBook(TimeSpan utcOffset)
{
    /// <summary>What the book holds of a cell: its tally as of <see cref="Version"/>, and its settled cases' counts.</summary>
    record struct CellEntry(long Version, int Travellers, SettledCounts Settled, DayCounts ConfirmedDays);

    readonly Dictionary<string, CaseFact> cases = new(StringComparer.Ordinal);
    readonly SettledCases settled = new();
    readonly Dictionary<string, CellEntry> cells = new(StringComparer.Ordinal);
    // Only the cells ever controlled (most never are): their control as of the version held in cells.
    readonly Dictionary<string, CellControl> controls = new(StringComparer.Ordinal);

    /// <summary>The cases not yet settled: those of the window, and later ones.</summary>
    public IReadOnlyCollection<CaseFact> Cases => cases.Values;
    /// <summary>The cases settled by <see cref="Settle"/>: what <see cref="CountyProjection.View"/> adds to <see cref="Cases"/>.</summary>
    public SettledCases Settled => settled;
    public int Travellers { get; private set; }
    /// <summary>The cells' controls as last decided; <see cref="CellControlCounts.At"/> judges which are in force.</summary>
    public IEnumerable<CellControl> Controls => controls.Values;
    /// <summary>The sum of the cell versions known, to compare with the store's (<see cref="CountyRecords.VersionSums"/>).</summary>
    public long VersionSum { get; private set; }

    /// <summary>The version of the cell the book holds every fact up to (0: none).</summary>
    public long KnownVersion(string cellId) => cells.TryGetValue(cellId, out var known) ? known.Version : 0;

    /// <summary>
    /// True when the message is new but does not follow the version known for its cell (something was missed), or does
    /// not say what its cases were before (a sender that did not: the store says).
    /// </summary>
    public bool Misses(CellChanged change)
    {
        var known = KnownVersion(change.CellId);
        return change.Version > known && (change.PreviousVersion != known || change.Before?.Count != change.Cases.Count);
    }

    /// <summary>
    /// Takes a cell's message when it follows the version the book holds for the cell; a repeat changes nothing. False
    /// when it does not follow (<see cref="Misses"/>): nothing is taken, and the cell is to be read from the store.
    /// </summary>
    public bool Apply(CellChanged change)
    {
        if (change.Version <= KnownVersion(change.CellId)) return true;
        if (Misses(change)) return false;
        for (var i = 0; i < change.Cases.Count; i++)
        {
            var fact = change.Cases[i];
            var before = change.Before![i];
            if (cases.TryGetValue(fact.CaseId, out var whole))
            {
                if (whole.Version < fact.Version) cases[fact.CaseId] = fact;
            }
            else if (before is null) cases[fact.CaseId] = fact;
            else if (before != fact)
            {
                // Known before this change and not held whole: settled. Its old fact comes off the counts; the new one is
                // held whole until the next Settle.
                Count(before, -1);
                cases[fact.CaseId] = fact;
            }
        }
        MergeCell(change.CellId, change.Version, change.Travellers, change.Control);
        revision++;
        return true;
    }

    /// <summary>
    /// What the store holds for these cells, read in one snapshot: each cell's row (<paramref name="cellTallies"/>) and
    /// every case of those cells (<paramref name="facts"/>). A cell the book holds at its row's version or later is left
    /// as it is; the others are replaced whole, their settled counts included.
    /// </summary>
    public void Replace(IEnumerable<CellTally> cellTallies, IEnumerable<CaseFact> facts)
    {
        var ahead = new Dictionary<string, CellTally>(StringComparer.Ordinal);
        foreach (var t in cellTallies)
            if (t.Version > KnownVersion(t.CellId)) ahead[t.CellId] = t;
        if (ahead.Count == 0) return;
        revision++;
        foreach (var id in cases.Values.Where(c => ahead.ContainsKey(c.CellId)).Select(c => c.CaseId).ToList()) cases.Remove(id);
        foreach (var cellId in ahead.Keys)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(cells, cellId);
            if (Unsafe.IsNullRef(ref entry)) continue;
            settled.Subtract(entry.Settled);
            foreach (var (day, count) in entry.ConfirmedDays.All()) settled.CountDay(day, -count);
            entry.Settled = default;
            entry.ConfirmedDays = default;
        }
        // A case id with two rows (one written before ids were scoped by county) counts once, at its latest version.
        foreach (var fact in facts)
            if (ahead.ContainsKey(fact.CellId) && !(cases.TryGetValue(fact.CaseId, out var other) && other.Version >= fact.Version))
                cases[fact.CaseId] = fact;
        foreach (var t in ahead.Values) MergeCell(t.CellId, t.Version, t.Travellers, t.Control);
    }

    /// <summary>
    /// Settles the cases that occurred on a local day before the indicators' window as of <paramref name="now"/>: an
    /// evaluation at <paramref name="now"/> or later counts them the same whole or settled. The live county calls it
    /// with its clock, which only moves forward; a book evaluated at an earlier moment must not be settled.
    /// </summary>
    public void Settle(DateTimeOffset now)
    {
        var firstOfWindow = now.LocalDay(utcOffset).AddDays(1 - CountyIndicators.WindowDays);
        List<CaseFact>? old = null;
        foreach (var c in cases.Values)
            if (c.OccurredAt.LocalDay(utcOffset) < firstOfWindow) (old ??= []).Add(c);
        if (old is null) return;
        revision++;
        foreach (var c in old)
        {
            cases.Remove(c.CaseId);
            Count(c, +1);
        }
    }

    /// <summary>A case settled (<paramref name="sign"/> 1), or a settled case's fact taken off its counts (-1).</summary>
    void Count(CaseFact c, int sign)
    {
        var counts = SettledCounts.Of(c);
        if (counts.Counted == 0) return;
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(cells, c.CellId, out _);
        if (sign > 0)
        {
            entry.Settled += counts;
            settled.Add(counts);
        }
        else
        {
            entry.Settled -= counts;
            settled.Subtract(counts);
        }
        if (counts.Confirmed == 0) return;
        var day = c.OccurredAt.LocalDay(utcOffset).DayNumber;
        entry.ConfirmedDays = entry.ConfirmedDays.With(day, sign);
        settled.CountDay(day, sign);
    }

    void MergeCell(string cellId, long version, int travellers, CellControl? control)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(cells, cellId, out _);
        if (entry.Version >= version) return;
        Travellers += travellers - entry.Travellers;
        VersionSum += version - entry.Version;
        entry.Version = version;
        entry.Travellers = travellers;
        if (control is null) controls.Remove(cellId);
        else controls[cellId] = control;
    }

    /// <summary>The cells under a control in force at <paramref name="at"/>: closed first, then by cell id.</summary>
    public IReadOnlyList<ControlledCell> ControlledAt(DateTimeOffset at) =>
        controls.Where(c => c.Value.InForceAt(at)).OrderByDescending(c => c.Value.Level).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ControlledCell(c.Key, c.Value)).ToList();

    // Bumped by every change the book takes; Busiest is computed again only after one.
    long revision;
    (long Revision, int Count, IReadOnlyList<CellActivity> Cells)? busiest;

    /// <summary>
    /// Cells with most active cases, then most confirmed, then most travellers. Computed again only after the book
    /// changed: the province asks every county for its view every few seconds, and a county of a long outbreak has settled
    /// cases in most of its cells: ranking them all for every ask allocated 400 MB a minute on a quiet silo over 1,000,000
    /// settled cases, against 58 MB on an empty store, and the collector grew its heaps to match (issue 18).
    /// </summary>
    public IReadOnlyList<CellActivity> Busiest(int count)
    {
        if (busiest is { } known && known.Revision == revision && known.Count == count) return known.Cells;
        var ranked = RankBusiest(count);
        busiest = (revision, count, ranked);
        return ranked;
    }

    IReadOnlyList<CellActivity> RankBusiest(int count)
    {
        var byCell = cases.Values.Where(c => c.Status != CaseStatus.RuledOut).ToLookup(c => c.CellId);
        return byCell.Select(g => g.Key).Union(cells.Where(c => c.Value.Settled.Counted > 0 || c.Value.Travellers > 0).Select(c => c.Key))
            .Select(id =>
            {
                var cell = cells.GetValueOrDefault(id);
                return new CellActivity(id,
                    byCell[id].Count(c => c.Status is CaseStatus.Active or CaseStatus.Hospitalised) + cell.Settled.Open,
                    byCell[id].Count(c => c.IsConfirmed) + cell.Settled.Confirmed,
                    cell.Travellers);
            })
            .OrderByDescending(a => a.ActiveCases).ThenByDescending(a => a.ConfirmedTotal)
            .ThenByDescending(a => a.Travellers).ThenBy(a => a.CellId, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
