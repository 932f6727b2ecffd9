using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Counties;

/// <summary>
/// What settled cases (<see cref="SettledCases"/>) add to the totals: the counts by kind, status and origin that
/// <see cref="CountyIndicators.Compute"/> takes from a case outside its window, and the open ones a cell's activity counts
/// (<see cref="CountyCaseBook.Busiest"/>). Ruled-out cases add nothing. A county keeps one for itself and one per cell.
/// </summary>
internal readonly record struct SettledCounts(
    int Suspected, int Asymptomatic, int Confirmed, int Local, int Active, int Hospitalised, int Recovered, int Died, int Open)
{
    /// <summary>The cases counted: every kind, ruled-out ones excepted.</summary>
    public int Counted => Suspected + Asymptomatic + Confirmed;

    public static SettledCounts Of(CaseFact c)
    {
        if (c.Status == CaseStatus.RuledOut) return default;
        var open = c.Status is CaseStatus.Active or CaseStatus.Hospitalised ? 1 : 0;
        return c.Kind switch
        {
            CaseKind.Suspected => new(1, 0, 0, 0, 0, 0, 0, 0, open),
            CaseKind.Asymptomatic => new(0, 1, 0, 0, 0, 0, 0, 0, open),
            _ => new(0, 0, 1, c.Local ? 1 : 0, c.Status == CaseStatus.Active ? 1 : 0, c.Status == CaseStatus.Hospitalised ? 1 : 0,
                c.Status == CaseStatus.Recovered ? 1 : 0, c.Status == CaseStatus.Died ? 1 : 0, open),
        };
    }

    public static SettledCounts operator +(SettledCounts a, SettledCounts b) => new(a.Suspected + b.Suspected,
        a.Asymptomatic + b.Asymptomatic, a.Confirmed + b.Confirmed, a.Local + b.Local, a.Active + b.Active,
        a.Hospitalised + b.Hospitalised, a.Recovered + b.Recovered, a.Died + b.Died, a.Open + b.Open);

    public static SettledCounts operator -(SettledCounts a, SettledCounts b) => new(a.Suspected - b.Suspected,
        a.Asymptomatic - b.Asymptomatic, a.Confirmed - b.Confirmed, a.Local - b.Local, a.Active - b.Active,
        a.Hospitalised - b.Hospitalised, a.Recovered - b.Recovered, a.Died - b.Died, a.Open - b.Open);
}

/// <summary>
/// The cases of a county that occurred before the indicators' window (<see cref="CountyIndicators.WindowDays"/> local
/// days) as of a moment already evaluated, kept as counts and nothing per case: a case that old adds the same to every
/// later evaluation (its kind, status and origin to the totals, its day to "days since the last new case") and nothing to
/// the window's figures. Issue 18: a county in a long outbreak holds the last weeks whole and the rest as counts by cell
/// (<see cref="CountyCaseBook"/> keeps those with its cells), so its memory follows its cells and its last weeks, not the
/// number of cases it ever had. Mutable; owned by one book.
/// </summary>
public sealed class SettledCases
{
    SettledCounts total;
    // Confirmed cases per local day number: the latest stays right when the latest case is ruled out or reclassified.
    readonly Dictionary<int, int> confirmedByDay = [];

    public int Confirmed => total.Confirmed;
    public int Local => total.Local;
    public int Suspected => total.Suspected;
    public int Asymptomatic => total.Asymptomatic;
    public int Active => total.Active;
    public int Hospitalised => total.Hospitalised;
    public int Recovered => total.Recovered;
    public int Died => total.Died;
    /// <summary>The cases counted (ruled-out ones are not).</summary>
    public int Count => total.Counted;
    /// <summary>The local day number of the latest confirmed case among these; null when there is none.</summary>
    public int? LatestConfirmedDay => confirmedByDay.Count == 0 ? null : confirmedByDay.Keys.Max();

    internal void Add(SettledCounts counts) => total += counts;

    internal void Subtract(SettledCounts counts) => total -= counts;

    internal void CountDay(int day, int sign)
    {
        var onDay = confirmedByDay.GetValueOrDefault(day) + sign;
        if (onDay == 0) confirmedByDay.Remove(day);
        else confirmedByDay[day] = onDay;
    }
}

/// <summary>
/// A multiset of local day numbers, as (day, count) pairs in one small array sorted by day: a cell's settled confirmed
/// cases by day, so the cell's part of <see cref="SettledCases"/>'s days can be taken off when the cell is read again.
/// </summary>
internal readonly struct DayCounts
{
    readonly int[]? pairs;

    DayCounts(int[]? pairs) => this.pairs = pairs;

    /// <summary>Each day, once per case on it.</summary>
    public IEnumerable<(int Day, int Count)> All()
    {
        if (pairs is null) yield break;
        for (var i = 0; i < pairs.Length; i += 2) yield return (pairs[i], pairs[i + 1]);
    }

    /// <summary>These days with one more (<paramref name="sign"/> 1) or one fewer (-1) case on <paramref name="day"/>.</summary>
    public DayCounts With(int day, int sign)
    {
        var p = pairs ?? [];
        var i = 0;
        while (i < p.Length && p[i] < day) i += 2;
        if (i < p.Length && p[i] == day)
        {
            if (p[i + 1] + sign > 0)
            {
                p[i + 1] += sign;
                return this;
            }
            if (p.Length == 2) return default;
            var fewer = new int[p.Length - 2];
            Array.Copy(p, 0, fewer, 0, i);
            Array.Copy(p, i + 2, fewer, i, p.Length - i - 2);
            return new DayCounts(fewer);
        }
        if (sign < 0) throw new InvalidOperationException($"No case on day {day} to take off");
        var more = new int[p.Length + 2];
        Array.Copy(p, 0, more, 0, i);
        more[i] = day;
        more[i + 1] = 1;
        Array.Copy(p, i, more, i + 2, p.Length - i);
        return new DayCounts(more);
    }
}
