using EpiGrid.Counties;

namespace EpiGrid.Provinces;

/// <summary>The province map: every county's state and how many counties have each colour under each rule set.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.province-view")]
public sealed record ProvinceView(
    [property: Id(0)] IReadOnlyList<CountyView> Counties,
    [property: Id(1)] IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts,
    [property: Id(2)] string DefaultRuleSet,
    [property: Id(3)] DateTimeOffset EvaluatedAt);

[GenerateSerializer, Immutable, Alias("epigrid.province-summary")]
public sealed record ProvinceSummary(
    [property: Id(0)] IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts,
    [property: Id(1)] string DefaultRuleSet,
    [property: Id(2)] DateTimeOffset At);
