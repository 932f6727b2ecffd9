using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Geography;

namespace EpiGrid.Counties;

/// <summary>
/// The one county projection: a county's cases (as its cells' <see cref="CellState"/> fold them) become its
/// <see cref="CountyIndicators"/>, every rule set's decision and its <see cref="CountyView"/>; and the views of all
/// counties become the province's counts per colour. The live county and province grains, replay, what-if, the colour
/// explanations and the API's quiet counties all call these, so a replayed view is the view the live county computed
/// from the same cases. Pure.
/// </summary>
public static class CountyProjection
{
    /// <summary>The county's figures at <paramref name="at"/> (cases reported as occurring later are not counted).</summary>
    public static CountyIndicators Indicators(County county, IEnumerable<CaseFact> cases, DateTimeOffset at, TimeSpan utcOffset, SettledCases? settled = null) =>
        CountyIndicators.Compute(new CountySnapshot(county.Code, county.Population, cases as IReadOnlyCollection<CaseFact> ?? cases.ToList(), at, utcOffset, settled));

    /// <summary>
    /// The county as every rule set judges it at <paramref name="at"/>, each by its version in force on that local day,
    /// with its cells closed and controlled then (<paramref name="controls"/>: the cells' controls as last decided); no
    /// cases: a county nothing was reported in. <paramref name="settled"/>: the live county's cases kept as counts.
    /// </summary>
    public static CountyView View(County county, IEnumerable<CaseFact> cases, int travellers, DateTimeOffset at, TimeSpan utcOffset,
        RuleBook rules, IReadOnlyList<CellActivity>? busiest = null, IEnumerable<CellControl?>? controls = null, SettledCases? settled = null)
    {
        var indicators = Indicators(county, cases, at, utcOffset, settled);
        return new CountyView(county.Code, indicators, travellers, rules.EvaluateAll(indicators, at.LocalDay(utcOffset)), rules.Default.Name, at, busiest ?? [],
            CellControlCounts.At(controls ?? [], at));
    }

    /// <summary>How many of these counties have each colour under each rule set (every colour listed, 0 included).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts(IReadOnlyCollection<CountyView> views, RuleBook rules) =>
        rules.RuleSets.ToDictionary(r => r.Name, r => (IReadOnlyDictionary<string, int>)
            RiskLevels.Colours.ToDictionary(colour => colour, colour => views.Count(v => v.Colours[r.Name].Colour == colour)));
}
