using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Counties;

/// <summary>A cell's tallies as its register holds them: the stream version they reflect, its travellers and its control.</summary>
public readonly record struct CellTally(string CellId, long Version, int Travellers, CellControl? Control = null);

/// <summary>
/// The cases and cell tallies a county knows, the live half of <see cref="CountyProjection"/>. Every fact carries the
/// cell stream version it came from, so stream messages and store reads merge in any order, any number of times, to
/// the same result. Cases older than the indicators' window at the last <see cref="Settle"/> are kept as counts
/// (<see cref="SettledCases"/>), so the book's memory follows the outbreak's last weeks, not its whole history. Pure.
/// </summary>
public sealed class CountyCaseBook
{
    readonly Dictionary<string, CaseFact> cases = new(StringComparer.Ordinal);
    readonly SettledCases settled = new();
    // One instance of each cell id, shared by the settled cases of the cell.
    readonly HashSet<string> cellIds = new(StringComparer.Ordinal);
    readonly Dictionary<string, (long Version, int Travellers)> cells = new(StringComparer.Ordinal);
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

    /// <summary>True when the message does not follow the last version known for its cell: something was missed.</summary>
    public bool Misses(CellChanged change) =>
        change.PreviousVersion > (cells.TryGetValue(change.CellId, out var known) ? known.Version : 0);

    public void Apply(CellChanged change)
    {
        foreach (var fact in change.Cases) Merge(fact);
        MergeCell(change.CellId, change.Version, change.Travellers, change.Control);
    }

    /// <summary>What the store's registers hold (a county's, or one cell's).</summary>
    public void Merge(IEnumerable<CaseFact> facts, IEnumerable<CellTally> cellTallies)
    {
        foreach (var fact in facts) Merge(fact);
        foreach (var cell in cellTallies) MergeCell(cell.CellId, cell.Version, cell.Travellers, cell.Control);
    }

    void Merge(CaseFact fact)
    {
        if (cases.TryGetValue(fact.CaseId, out var known))
        {
            if (known.Version < fact.Version) cases[fact.CaseId] = fact;
        }
        else if (settled.Holds(fact.CaseId, out var version))
        {
            // A later fact of a settled case (its status changed, or it was corrected) is held whole until the next Settle.
            if (version >= fact.Version) return;
            settled.Remove(fact.CaseId);
            cases[fact.CaseId] = fact;
        }
        else cases[fact.CaseId] = fact;
    }

    /// <summary>
    /// Settles the cases that occurred on a local day before the indicators' window as of <paramref name="now"/>: an
    /// evaluation at <paramref name="now"/> or later counts them the same whole or settled. The live county calls it
    /// with its clock, which only moves forward; a book evaluated at an earlier moment must not be settled.
    /// </summary>
    public void Settle(DateTimeOffset now, TimeSpan utcOffset)
    {
        var firstOfWindow = now.LocalDay(utcOffset).AddDays(1 - CountyIndicators.WindowDays);
        List<CaseFact>? old = null;
        foreach (var c in cases.Values)
            if (c.OccurredAt.LocalDay(utcOffset) < firstOfWindow) (old ??= []).Add(c);
        if (old is null) return;
        foreach (var c in old)
        {
            cases.Remove(c.CaseId);
            if (!cellIds.TryGetValue(c.CellId, out var cellId)) cellIds.Add(cellId = c.CellId);
            settled.Add(c, cellId, utcOffset);
        }
    }

    void MergeCell(string cellId, long version, int travellers, CellControl? control)
    {
        if (cells.TryGetValue(cellId, out var known) && known.Version >= version) return;
        Travellers += travellers - known.Travellers;
        VersionSum += version - known.Version;
        cells[cellId] = (version, travellers);
        if (control is null) controls.Remove(cellId);
        else controls[cellId] = control;
    }

    /// <summary>The cells under a control in force at <paramref name="at"/>: closed first, then by cell id.</summary>
    public IReadOnlyList<ControlledCell> ControlledAt(DateTimeOffset at) =>
        controls.Where(c => c.Value.InForceAt(at)).OrderByDescending(c => c.Value.Level).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ControlledCell(c.Key, c.Value)).ToList();

    /// <summary>Cells with most active cases, then most confirmed, then most travellers.</summary>
    public IReadOnlyList<CellActivity> Busiest(int count)
    {
        var byCell = cases.Values.Where(c => c.Status != CaseStatus.RuledOut).ToLookup(c => c.CellId);
        var old = settled.ByCell;
        return byCell.Select(g => g.Key).Union(old.Keys).Union(cells.Where(c => c.Value.Travellers > 0).Select(c => c.Key))
            .Select(id => new CellActivity(id,
                byCell[id].Count(c => c.Status is CaseStatus.Active or CaseStatus.Hospitalised) + old.GetValueOrDefault(id).Open,
                byCell[id].Count(c => c.IsConfirmed) + old.GetValueOrDefault(id).Confirmed,
                cells.TryGetValue(id, out var t) ? t.Travellers : 0))
            .OrderByDescending(a => a.ActiveCases).ThenByDescending(a => a.ConfirmedTotal)
            .ThenByDescending(a => a.Travellers).ThenBy(a => a.CellId, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
