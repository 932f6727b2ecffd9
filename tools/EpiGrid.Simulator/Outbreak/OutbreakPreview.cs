using EpiGrid.Rules;

namespace EpiGrid.Simulator.Outbreak;

/// <summary>
/// The county colours an outbreak should produce, computed with the platform's own pure rules: a check of
/// plausibility (against the published maps) without a running platform.
/// </summary>
public static class OutbreakPreview
{
    /// <summary>Day 0 of the default outbreak: two weeks ending on 9 February 2020, the first published map.</summary>
    public static readonly DateTimeOffset NominalStart = new(2020, 1, 27, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Counties per colour under the rule set, as of <paramref name="elapsed"/> into the outbreak.</summary>
    public static IReadOnlyDictionary<string, int> ColourCounts(
        IReadOnlyList<SimReport> reports, IReadOnlyList<County> counties, TimeSpan elapsed, IColourRuleSet? ruleSet = null)
    {
        ruleSet ??= new Zhejiang5RuleSet();
        var now = NominalStart + elapsed;
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
            .Select(c => ruleSet.Evaluate(CountyProjection.Indicators(c, byCounty[c.Code], now, TimeSpan.FromHours(8))).Colour)
            .GroupBy(colour => colour).ToDictionary(g => g.Key, g => g.Count());
    }
}
