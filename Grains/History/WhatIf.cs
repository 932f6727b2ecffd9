using EpiGrid.Audit;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.History;

/// <summary>
/// Re-runs a rule set over a past period: each county's colour at the start and at every moment it changed. The
/// configured rule set judges each moment by its version in force that day; a version or parameters asked for judge
/// every moment (<see cref="RuleSetVersions.Fixed"/>). Pure replay: nothing is written and no live grain is touched.
/// </summary>
public sealed class WhatIf(Replay replay, EpiGrid.Geography.Province province)
{
    public async Task<WhatIfResponse> Run(RuleSetVersions ruleSet, DateTimeOffset from, DateTimeOffset to, DateTimeOffset knownAt,
        CancellationToken cancellationToken)
    {
        var replays = await replay.Load(null, knownAt, cancellationToken);
        var counties = replays.ToDictionary(r => r.Key, r => Timeline(r.Value, ruleSet, from, to), StringComparer.Ordinal);
        // The one version that judged the period, or each with the day it took effect when the period spans a change.
        var offset = province.Options.UtcOffset;
        var used = ruleSet.InForceBetween(from.LocalDay(offset), to.LocalDay(offset));
        var versions = used.Count == 1 ? used[0].Version
            : string.Join(", ", used.Select(r => $"{r.Version} from {ruleSet.Versions.First(v => v.Rule == r).EffectiveFrom:yyyy-MM-dd}"));
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
