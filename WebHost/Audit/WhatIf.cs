using System.Text.Json.Nodes;

namespace EpiGrid.WebHost.Audit;

public sealed record WhatIfRequest
{
    public string? RuleSet { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    /// <summary>Overrides of the rule set's parameters (zhejiang-5: weights and cut-offs); others have none.</summary>
    public JsonObject? Parameters { get; init; }
    /// <summary>Judge with what was known then; default: everything known now.</summary>
    public DateTimeOffset? KnownAt { get; init; }
}

public sealed record ColourAt(DateTimeOffset At, string Level, string Colour);

public sealed record WhatIfResponse(
    string RuleSet, string RuleVersion, DateTimeOffset From, DateTimeOffset To, DateTimeOffset KnownAt,
    IReadOnlyDictionary<string, IReadOnlyList<ColourAt>> Counties);

/// <summary>
/// Re-runs a rule set, as configured or with other parameters, over a past period: each county's colour at the
/// start and at every moment it changed. Pure replay: nothing is written and no grain is touched.
/// </summary>
public sealed class WhatIf(Replay replay, RuleBook rules)
{
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(366);

    public IColourRuleSet? RuleSet(WhatIfRequest request, FieldErrors errors)
    {
        if (rules.Find(request.RuleSet ?? "") is not { } configured)
        {
            errors.Add("ruleSet", $"Required: one of {string.Join(", ", rules.RuleSets.Select(r => r.Name))}.");
            return null;
        }
        if (request.Parameters is not { Count: > 0 } overrides) return configured;
        if (configured is not Zhejiang5RuleSet zhejiang)
        {
            errors.Add("parameters", $"{configured.Name} has no parameters to change.");
            return null;
        }
        var merged = JsonSerializer.SerializeToNode(zhejiang.Parameters, JsonOptions)!.AsObject();
        foreach (var (key, value) in overrides) merged[key] = value?.DeepClone();
        var parameters = JsonBody.Read<Zhejiang5Parameters>(merged, JsonOptions, new FieldErrors("parameters."));
        if (parameters is null) errors.Add("parameters", $"Unknown or malformed; known: {string.Join(", ", merged.Select(p => p.Key))}.");
        return parameters is null ? null : new Zhejiang5RuleSet(parameters);
    }

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

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}
