using EpiGrid.Cells;

namespace EpiGrid.People;

/// <summary>One local day of an epidemic curve: new cases by kind, and each kind's mean over the 7 days ending that day.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.epicurve-day")]
public sealed record EpiCurveDay(
    [property: Id(0)] DateOnly Date, [property: Id(1)] int Confirmed, [property: Id(2)] int Suspected, [property: Id(3)] int Asymptomatic,
    [property: Id(4)] double ConfirmedAverage7, [property: Id(5)] double SuspectedAverage7, [property: Id(6)] double AsymptomaticAverage7);

/// <summary>
/// An epidemic curve (issue 17) of a county (null: the province) over local days <see cref="From"/> to <see cref="To"/>, by
/// the day cases were reported (<c>report</c>) or the day symptoms began (<c>onset</c>). <see cref="WithoutOnset"/>: cases of
/// the days asked for that carry no onset date (by onset they are not on the curve).
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.epicurve")]
public sealed record EpiCurve(
    [property: Id(0)] string? County, [property: Id(1)] string By, [property: Id(2)] DateOnly From, [property: Id(3)] DateOnly To,
    [property: Id(4)] IReadOnlyList<EpiCurveDay> Days, [property: Id(5)] int WithoutOnset);

/// <summary>A county's confirmed cases per local day from <see cref="From"/> (one count a day): the incidence Rt is estimated from.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.county-incidence")]
public sealed record CountyIncidence([property: Id(0)] string County, [property: Id(1)] DateOnly From, [property: Id(2)] int[] Confirmed);

/// <summary>A case as a curve counts it: its county, its local day (of report or of onset) and its kind.</summary>
public readonly record struct CurveCase(string County, DateOnly Day, CaseKind Kind);

/// <summary>Builds epidemic curves from cases' days and kinds. Pure.</summary>
public static class EpiCurves
{
    public const int AverageDays = 7;

    /// <summary>
    /// The curve over [<paramref name="from"/>, <paramref name="to"/>]: each day's count per kind, and the trailing mean over the
    /// day and the six before it (<paramref name="cases"/> should include those six days before <paramref name="from"/>).
    /// </summary>
    public static IReadOnlyList<EpiCurveDay> Days(IEnumerable<(DateOnly Day, CaseKind Kind)> cases, DateOnly from, DateOnly to)
    {
        var counts = cases.GroupBy(c => (c.Day, c.Kind)).ToDictionary(g => g.Key, g => g.Count());
        int Count(DateOnly day, CaseKind kind) => counts.GetValueOrDefault((day, kind));
        double Mean(DateOnly day, CaseKind kind) =>
            Math.Round(Enumerable.Range(0, AverageDays).Sum(back => Count(day.AddDays(-back), kind)) / (double)AverageDays, 2);
        var days = new List<EpiCurveDay>(to.DayNumber - from.DayNumber + 1);
        for (var day = from; day <= to; day = day.AddDays(1))
            days.Add(new EpiCurveDay(day, Count(day, CaseKind.Confirmed), Count(day, CaseKind.Suspected), Count(day, CaseKind.Asymptomatic),
                Mean(day, CaseKind.Confirmed), Mean(day, CaseKind.Suspected), Mean(day, CaseKind.Asymptomatic)));
        return days;
    }

    /// <summary>Each county's confirmed cases per day over [<paramref name="from"/>, <paramref name="to"/>], as its curve counts them.</summary>
    public static IReadOnlyList<CountyIncidence> ConfirmedByCounty(IEnumerable<CurveCase> cases, DateOnly from, DateOnly to) =>
        cases.Where(c => c.Kind == CaseKind.Confirmed && c.Day >= from && c.Day <= to)
            .GroupBy(c => c.County, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var counts = new int[to.DayNumber - from.DayNumber + 1];
                foreach (var c in g) counts[c.Day.DayNumber - from.DayNumber]++;
                return new CountyIncidence(g.Key, from, counts);
            }).ToList();
}
