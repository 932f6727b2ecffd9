using EpiGrid.Audit;

namespace EpiGrid.Grains.History;

/// <summary>
/// Re-runs a rule set, as configured or with other parameters, over a past period: each county's colour at the
/// start and at every moment it changed. Pure replay: nothing is written and no live grain is touched.
/// </summary>
public sealed class WhatIf(Replay replay)
{
    public async Task<WhatIfResponse> Run(IColourRuleSet ruleSet, DateTimeOffset from, DateTimeOffset to, DateTimeOffset knownAt,
        CancellationToken cancellationToken)
    {
        var replays = await replay.Load(null, knownAt, cancellationToken);
        var counties = replays.ToDictionary(r => r.Key, r => Timeline(r.Value, ruleSet, from, to), StringComparer.Ordinal);
        return new WhatIfResponse(ruleSet.Name, ruleSet.Version, from, to, knownAt, counties);
    }

    public static IReadOnlyList<ColourAt> Timeline(CountyReplay county, IColourRuleSet ruleSet, DateTimeOffset from, DateTimeOffset to)
    {
        var timeline = new List<ColourAt>();
        foreach (var at in county.ChangePoints(from, to).Prepend(from))
        {
            county.AdvanceTo(at);
            var decision = ruleSet.Evaluate(county.Indicators(at));
            if (timeline.Count == 0 || timeline[^1].Level != decision.Level.Name() || timeline[^1].Colour != decision.Colour)
                timeline.Add(new ColourAt(at, decision.Level.Name(), decision.Colour));
        }
        return timeline;
    }
}
