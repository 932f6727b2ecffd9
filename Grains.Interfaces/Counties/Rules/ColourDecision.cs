namespace EpiGrid.Counties.Rules;

/// <summary>A county's colour under one rule set, with the reasons a person can read and the inputs a machine can check.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.colour-decision")]
public sealed record ColourDecision(
    [property: Id(0)] string RuleSet,
    [property: Id(1)] string RuleVersion,
    [property: Id(2)] RiskLevel Level,
    [property: Id(3)] string Colour,
    [property: Id(4)] IReadOnlyList<string> Reasons,
    [property: Id(5)] IReadOnlyDictionary<string, double> Inputs)
{
    /// <summary>Same outcome (level, colour, version); reasons and inputs may differ in wording or values.</summary>
    public bool SameOutcomeAs(ColourDecision? other) =>
        other is not null && other.Level == Level && other.Colour == Colour && other.RuleVersion == RuleVersion;
}

/// <summary>A versioned, pure function from a county's indicators to its colour.</summary>
public interface IColourRuleSet
{
    /// <summary>Stable name, e.g. "national-3".</summary>
    string Name { get; }

    /// <summary>Changes whenever the function or its parameters change, so history says which version decided.</summary>
    string Version { get; }

    ColourDecision Evaluate(CountyIndicators indicators);
}
