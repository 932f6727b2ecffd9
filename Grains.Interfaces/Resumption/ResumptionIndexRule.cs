namespace EpiGrid.Resumption;

/// <summary>The resumption index and its lag alert (section "Resumption").</summary>
public sealed record ResumptionOptions
{
    public const string Section = "Resumption";
    /// <summary>An enterprise counts as resumed when its day's use reaches this share of its baseline.</summary>
    public double ResumedFrom { get; init; } = 0.30;
    /// <summary>A county lags when its index is more than this many points below the province's ...</summary>
    public double LagMargin { get; init; } = 10;
    /// <summary>... on this many consecutive days.</summary>
    public int LagDays { get; init; } = 3;
    /// <summary>How often the province looks for lagging counties, once readings have changed.</summary>
    public TimeSpan LagCheckInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The province re-asks every county this often, in case a county's message was lost.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>
    /// A county's replay of its stream (knownAt) stops after this long: the web host gives up on the whole replay at
    /// HeavyReads:Replay:Timeout, and this frees the store too. Our choice, as the web host's.
    /// </summary>
    public TimeSpan ReplayStatementTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Sums over enterprises for one day. Sums, not rates, so counties add up exactly to cities and the province, and
/// industries to their total.
/// </summary>
/// <param name="StaffAtWork">Staff back at work as enterprises reported it (optional; not part of the index).</param>
/// <param name="StaffReports">How many enterprises reported their staff.</param>
/// <param name="Industries">
/// The same sums per industry (staff aside), when the tally was made by industry: enterprises, resumed, kWh and
/// baseline of the industries add up to the total. An industry's own tally has none.
/// </param>
[GenerateSerializer, Immutable, Alias("epigrid.resumption-tally")]
public sealed record ResumptionTally(
    [property: Id(0)] int Enterprises,
    [property: Id(1)] int Resumed,
    [property: Id(2)] double Kwh,
    [property: Id(3)] double BaselineKwh,
    [property: Id(4)] int StaffAtWork = 0,
    [property: Id(5)] int StaffReports = 0,
    [property: Id(6)] IReadOnlyDictionary<string, ResumptionTally>? Industries = null)
{
    public static readonly ResumptionTally Zero = new(0, 0, 0, 0);

    public static ResumptionTally operator +(ResumptionTally a, ResumptionTally b) =>
        new(a.Enterprises + b.Enterprises, a.Resumed + b.Resumed, a.Kwh + b.Kwh, a.BaselineKwh + b.BaselineKwh,
            a.StaffAtWork + b.StaffAtWork, a.StaffReports + b.StaffReports, Add(a.Industries, b.Industries));

    public static ResumptionTally Sum(IEnumerable<ResumptionTally> tallies) => tallies.Aggregate(Zero, (a, b) => a + b);

    static IReadOnlyDictionary<string, ResumptionTally>? Add(IReadOnlyDictionary<string, ResumptionTally>? a, IReadOnlyDictionary<string, ResumptionTally>? b)
    {
        if (a is null || b is null) return a ?? b;
        var sum = new Dictionary<string, ResumptionTally>(a);
        foreach (var (industry, tally) in b) sum[industry] = sum.TryGetValue(industry, out var known) ? known + tally : tally;
        return sum;
    }
}

/// <summary>One day's published figures: rates as fractions, the index from 0 to 100.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.resumption-figures")]
public sealed record ResumptionFigures(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] int Enterprises,
    [property: Id(2)] int Resumed,
    [property: Id(3)] double ResumptionRate,
    [property: Id(4)] double ProductionRate,
    [property: Id(5)] double Index,
    [property: Id(6)] string RuleVersion,
    [property: Id(7)] int StaffAtWork = 0,
    [property: Id(8)] int StaffReports = 0,
    [property: Id(9)] IReadOnlyList<IndustryFigures>? Industries = null);

/// <summary>One industry's figures of a day, by the same rule as the total (<see cref="ResumptionIndexRule.Figures"/>).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.industry-figures")]
public sealed record IndustryFigures(
    [property: Id(0)] string Industry,
    [property: Id(1)] int Enterprises,
    [property: Id(2)] int Resumed,
    [property: Id(3)] double ResumptionRate,
    [property: Id(4)] double ProductionRate,
    [property: Id(5)] double Index);

/// <summary>
/// The enterprise resumption electricity index (企业复工电力指数) of the provincial energy bureau and State Grid
/// Zhejiang, 2020. Resumption rate (复工率): share of enterprises whose day's use reaches
/// <see cref="ResumptionOptions.ResumedFrom"/> of their baseline. Production rate (复产率): total use over total
/// baseline. Index: their average, in points, to two decimals (19 Feb 2020: 57.60% and 45.28% gave 51.44).
/// Only enterprises with a reading for the day count, so a day still being uploaded shows what is known.
/// </summary>
public sealed class ResumptionIndexRule(double resumedFrom = 0.30)
{
    public const string Name = "zhejiang-resumption";

    public ResumptionIndexRule(ResumptionOptions options) : this(options.ResumedFrom) { }

    public double ResumedFrom { get; } = resumedFrom is > 0 and <= 1
        ? resumedFrom : throw new ArgumentOutOfRangeException(nameof(resumedFrom), "Must be above 0 and at most 1.");

    /// <summary>Changes with the threshold, so history says which threshold decided.</summary>
    public string Version => $"2020-02-19.1+r{ResumedFrom.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <remarks>Compared in decimal: 0.3 × 100 is 30.000000000000004 in binary floating point, and 30 kWh must count.</remarks>
    public bool IsResumed(double kwh, double baselineKwh) =>
        baselineKwh > 0 ? (decimal)kwh >= (decimal)ResumedFrom * (decimal)baselineKwh : kwh > 0;

    public ResumptionTally Tally(double kwh, double baselineKwh) => new(1, IsResumed(kwh, baselineKwh) ? 1 : 0, kwh, baselineKwh);

    public ResumptionTally Tally(IEnumerable<(double Kwh, double BaselineKwh)> readings) =>
        readings.Aggregate(ResumptionTally.Zero, (sum, r) => sum + Tally(r.Kwh, r.BaselineKwh));

    /// <summary>Each industry tallied as above, and the total as their sum, so the industries add up to it exactly.</summary>
    public ResumptionTally Tally(IEnumerable<(string Industry, double Kwh, double BaselineKwh)> readings)
    {
        var industries = readings.GroupBy(r => r.Industry, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Tally(g.Select(r => (r.Kwh, r.BaselineKwh))));
        return ResumptionTally.Sum(industries.Values) with { Industries = industries };
    }

    /// <param name="byIndustry">Also each industry's figures, by this same function, sorted by industry.</param>
    public ResumptionFigures Figures(DateOnly day, ResumptionTally t, bool byIndustry = false)
    {
        var resumption = t.Enterprises == 0 ? 0 : (double)t.Resumed / t.Enterprises;
        var production = t.BaselineKwh <= 0 ? 0 : t.Kwh / t.BaselineKwh;
        var industries = byIndustry
            ? (t.Industries ?? new Dictionary<string, ResumptionTally>()).OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => IndustryFigures(day, i.Key, i.Value)).ToList()
            : null;
        return new(day, t.Enterprises, t.Resumed, resumption, production, Index(resumption, production), Version, t.StaffAtWork, t.StaffReports, industries);
    }

    IndustryFigures IndustryFigures(DateOnly day, string industry, ResumptionTally t)
    {
        var f = Figures(day, t);
        return new(industry, f.Enterprises, f.Resumed, f.ResumptionRate, f.ProductionRate, f.Index);
    }

    /// <summary>100 × the average of the two rates, rounded half away from zero to two decimals, as published.</summary>
    public static double Index(double resumptionRate, double productionRate) =>
        (double)Math.Round((decimal)(100 * (resumptionRate + productionRate) / 2), 2, MidpointRounding.AwayFromZero);
}
