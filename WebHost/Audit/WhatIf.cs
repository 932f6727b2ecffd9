using System.Text.Json.Nodes;
using EpiGrid.Counties.Rules;

namespace EpiGrid.WebHost.Audit;

public sealed record WhatIfRequest
{
    public string? RuleSet { get; init; }
    /// <summary>One version judges the whole period ("2020-02-09.1", with or without its fingerprint); default: each day's version in force.</summary>
    public string? RuleVersion { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    /// <summary>Overrides of the rule set's parameters (zhejiang-5: weights and cut-offs); others have none.</summary>
    public JsonObject? Parameters { get; init; }
    /// <summary>Judge with what was known then; default: everything known now.</summary>
    public DateTimeOffset? KnownAt { get; init; }
}

/// <summary>
/// The HTTP side of a what-if run: the rule set asked for, a version of it, and the parameters changed (zhejiang-5
/// only, over the version asked for or the latest), checked field by field. The run itself replays in the silo
/// (<see cref="IHistoryGrain.WhatIf"/>).
/// </summary>
public sealed class WhatIfRequests(RuleBook rules)
{
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(366);

    /// <summary>
    /// The configured rule set's name, the version asked for (null: each day's in force) and the changed parameters
    /// (null: as configured), or null with the field errors.
    /// </summary>
    public (string Name, string? Version, Zhejiang5Parameters? Parameters)? RuleSet(WhatIfRequest request, FieldErrors errors)
    {
        if (rules.Find(request.RuleSet ?? "") is not { } configured)
        {
            errors.Add("ruleSet", $"Required: one of {string.Join(", ", rules.RuleSets.Select(r => r.Name))}.");
            return null;
        }
        var version = request.RuleVersion is null ? null : configured.Find(request.RuleVersion);
        if (request.RuleVersion is not null && version is null)
        {
            errors.Add("ruleVersion", $"{configured.Name} has the versions {string.Join(", ", configured.Versions.Select(v => v.Rule.Version))}.");
            return null;
        }
        if (request.Parameters is not { Count: > 0 } overrides) return (configured.Name, version?.Version, null);
        if ((version ?? configured.Latest) is not Zhejiang5RuleSet zhejiang)
        {
            errors.Add("parameters", $"{configured.Name} has no parameters to change.");
            return null;
        }
        var merged = JsonSerializer.SerializeToNode(zhejiang.Parameters, JsonOptions)!.AsObject();
        foreach (var (key, value) in overrides) merged[key] = value?.DeepClone();
        var parameters = JsonBody.Read<Zhejiang5Parameters>(merged, JsonOptions, new FieldErrors("parameters."));
        if (parameters is null) errors.Add("parameters", $"Unknown or malformed; known: {string.Join(", ", merged.Select(p => p.Key))}.");
        return parameters is null ? null : (configured.Name, version?.Version, parameters);
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}
