using EpiGrid.Audit;

namespace EpiGrid.Grains.History;

/// <summary>
/// Re-runs a rule set over a past period: each county's colour at the start and at every moment it changed. The
/// configured rule set judges each moment by its version in force that day; a version or parameters asked for judge
/// every moment (<see cref="RuleSetVersions.Fixed"/>). Pure replay: nothing is written and no live grain is touched.
/// </summary>
public sealed class WhatIf(Replay replay)
{
    public async Task<WhatIfResponse> Run(RuleSetVersions ruleSet, DateTimeOffset from, DateTimeOffset to, DateTimeOffset knownAt,
        CancellationToken cancellationToken)
    {
        var replays = await replay.Load(null, knownAt, cancellationToken);
        var counties = replays.ToDictionary(r => r.Key, r => Timeline(r.Value, ruleSet, from, to), StringComparer.Ordinal);
        var versions = ruleSet.Versions.Count == 1 ? ruleSet.Latest.Version
            : string.Join(", ", ruleSet.Versions.Select(v => $"{v.Rule.Version} from {v.EffectiveFrom:yyyy-MM-dd}"));
        return new WhatIfResponse(ruleSet.Name, versions, from, to, knownAt, counties);
    }

    public static IReadOnlyList<ColourAt> Timeline(CountyReplay county, RuleSetVersions ruleSet, DateTimeOffset from, DateTimeOffset to)
    {
        var timeline = new List<ColourAt>();
        foreach (var at in county.ChangePoints(from, to).Prepend(from))
        {
            county.AdvanceTo(at);
            var decision = county.Judge(ruleSet, at);
            if (timeline.Count == 0 || timeline[^1].Level != decision.Level.Name() || timeline[^1].Colour != decision.Colour)
                timeline.Add(new ColourAt(at, decision.Level.Name(), decision.Colour, decision.RuleVersion));
        }
        return timeline;
    }
}
