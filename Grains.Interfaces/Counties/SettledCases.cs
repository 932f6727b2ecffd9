using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Counties;

/// <summary>
/// The cases of a county that occurred before the indicators' window (<see cref="CountyIndicators.WindowDays"/> local
/// days) as of a moment already evaluated, kept as counts instead of whole <see cref="CaseFact"/>s: a case that old
/// adds the same to every later evaluation (its kind, status and origin to the totals, its day to "days since the last
/// new case") and nothing to the window's figures, so only what would change those counts is kept per case: its
/// version (to merge as <see cref="CountyCaseBook"/> does), its cell, kind, status, origin and day. Issue 18: a county
/// in a long outbreak holds the last weeks in full and the rest as a few bytes a case. Mutable; owned by one book.
/// </summary>
public sealed class SettledCases
{
    readonly record struct Entry(long Version, string CellId, CaseKind Kind, CaseStatus Status, bool Local, int Day);

    /// <summary>A cell's settled cases as <see cref="CountyCaseBook.Busiest"/> counts them.</summary>
    public readonly record struct CellCounts(int Counted, int Open, int Confirmed);

    readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    readonly Dictionary<string, CellCounts> byCell = new(StringComparer.Ordinal);
    // Confirmed cases per local day number: the latest stays right when the latest case is ruled out or reclassified.
    readonly Dictionary<int, int> confirmedByDay = [];

    public int Count => entries.Count;
    public int Confirmed { get; private set; }
    public int Local { get; private set; }
    public int Suspected { get; private set; }
    public int Asymptomatic { get; private set; }
    public int Active { get; private set; }
    public int Hospitalised { get; private set; }
    public int Recovered { get; private set; }
    public int Died { get; private set; }
    /// <summary>The local day number of the latest confirmed case among these; null when there is none.</summary>
    public int? LatestConfirmedDay => confirmedByDay.Count == 0 ? null : confirmedByDay.Keys.Max();
    public IReadOnlyDictionary<string, CellCounts> ByCell => byCell;

    public bool Holds(string caseId, out long version)
    {
        var found = entries.TryGetValue(caseId, out var entry);
        version = entry.Version;
        return found;
    }

    /// <param name="cellId">The cell id instance to keep (shared by every case of the cell).</param>
    public void Add(CaseFact fact, string cellId, TimeSpan utcOffset)
    {
        var entry = new Entry(fact.Version, cellId, fact.Kind, fact.Status, fact.Local, fact.OccurredAt.LocalDay(utcOffset).DayNumber);
        Remove(fact.CaseId);
        entries[fact.CaseId] = entry;
        Tally(entry, +1);
    }

    public void Remove(string caseId)
    {
        if (entries.Remove(caseId, out var entry)) Tally(entry, -1);
    }

    /// <summary>What <see cref="CountyIndicators.Compute"/> counts of a case outside its window, and the cell's counts.</summary>
    void Tally(Entry e, int sign)
    {
        if (e.Status == CaseStatus.RuledOut) return;
        var cell = byCell.GetValueOrDefault(e.CellId);
        var open = e.Status is CaseStatus.Active or CaseStatus.Hospitalised;
        var confirmed = e.Kind == CaseKind.Confirmed;
        cell = new CellCounts(cell.Counted + sign, cell.Open + (open ? sign : 0), cell.Confirmed + (confirmed ? sign : 0));
        if (cell.Counted == 0) byCell.Remove(e.CellId);
        else byCell[e.CellId] = cell;
        switch (e.Kind)
        {
            case CaseKind.Suspected: Suspected += sign; return;
            case CaseKind.Asymptomatic: Asymptomatic += sign; return;
        }
        Confirmed += sign;
        if (e.Local) Local += sign;
        switch (e.Status)
        {
            case CaseStatus.Active: Active += sign; break;
            case CaseStatus.Hospitalised: Hospitalised += sign; break;
            case CaseStatus.Recovered: Recovered += sign; break;
            case CaseStatus.Died: Died += sign; break;
        }
        var onDay = confirmedByDay.GetValueOrDefault(e.Day) + sign;
        if (onDay == 0) confirmedByDay.Remove(e.Day);
        else confirmedByDay[e.Day] = onDay;
    }
}
