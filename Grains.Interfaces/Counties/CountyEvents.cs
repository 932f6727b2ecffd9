using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Counties;

/// <summary>
/// A county's colour under one rule set changed. Carries its explanation: the rule set and version that
/// decided, the inputs it saw and the reasons. Stream key: "county:<code>".
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.county-colour-changed")]
public sealed record CountyColourChanged(
    [property: Id(0)] string County,
    [property: Id(1)] string RuleSet,
    [property: Id(2)] string RuleVersion,
    [property: Id(3)] RiskLevel? FromLevel,
    [property: Id(4)] string? FromColour,
    [property: Id(5)] RiskLevel Level,
    [property: Id(6)] string Colour,
    [property: Id(7)] IReadOnlyList<string> Reasons,
    [property: Id(8)] IReadOnlyDictionary<string, double> Inputs,
    [property: Id(9)] EventMeta Meta) : IEpiEvent;
