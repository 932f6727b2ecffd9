using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.Simulator.Outbreak;

/// <summary>
/// The county colours an outbreak should produce, computed with the platform's own pure rules: a check of
/// plausibility (against the published maps) without a running platform.
/// </summary>
public static class OutbreakPreview
{
    /// <summary>Day 0 of the outbreak, 21 January 2020, at local midnight.</summary>
    public static readonly DateTimeOffset NominalStart = OutbreakModel.Start.Start(TimeSpan.FromHours(8));

    /// <summary>The counts of the maps published in February 2020 (<see cref="PublishedColourCounts"/>), worst colour first.</summary>
    public static IReadOnlyDictionary<DateOnly, int[]> Published { get; } =
        PublishedColourCounts.Days.ToDictionary(d => d.Key, d => RiskLevels.Colours.Select(c => d.Value[c]).ToArray());

    /// <summary>
    /// Counties per colour under the rule set (default: zhejiang-5 as configured by default), as of
    /// <paramref name="elapsed"/> into the outbreak, judged by the version in force that day.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ColourCounts(
        IReadOnlyList<SimReport> reports, IReadOnlyList<County> counties, TimeSpan elapsed, RuleSetVersions? ruleSet = null)
    {
        ruleSet ??= new RuleBook(new RuleOptions()).Default;
        var now = NominalStart + elapsed;
        var rule = ruleSet.InForce(now.LocalDay(TimeSpan.FromHours(8)));
        var cases = new Dictionary<string, CaseFact>(StringComparer.Ordinal);
        var version = 0L;
        foreach (var r in reports.TakeWhile(r => r.At <= elapsed))
        {
            version++;
            if (r is CaseReport c)
                cases[c.CaseId] = new CaseFact(c.CaseId, c.CellId, c.Kind, c.Local, c.ClusterId, NominalStart + c.At, CaseStatus.Active, version);
            else if (r is CaseStatusReport s && cases.TryGetValue(s.CaseId, out var fact))
                cases[s.CaseId] = fact with { Status = s.Status, Version = version };
        }
        var byCounty = cases.Values.ToLookup(c => c.CellId[..6]);
        return counties
            .Select(c => rule.Evaluate(CountyProjection.Indicators(c, byCounty[c.Code], now, TimeSpan.FromHours(8))).Colour)
            .GroupBy(colour => colour).ToDictionary(g => g.Key, g => g.Count());
    }
}
