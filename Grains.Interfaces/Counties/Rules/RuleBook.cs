namespace EpiGrid.Counties.Rules;

/// <summary>Configuration of the colour rules (section "Rules").</summary>
public sealed record RuleOptions
{
    public const string Section = "Rules";
    public string DefaultRuleSet { get; init; } = Zhejiang5RuleSet.RuleSetName;
    // Copies: configuration binds into the instance it finds, which must not be the shared defaults.
    /// <summary>zhejiang-5 as re-assessed from 12 February 2020 (the version in force today).</summary>
    public Zhejiang5Parameters Zhejiang5 { get; init; } = Zhejiang5Parameters.February12 with { };
    /// <summary>zhejiang-5 as first published on 9 February 2020, in force on 9, 10 and 11 February.</summary>
    public Zhejiang5Parameters Zhejiang5February9 { get; init; } = Zhejiang5Parameters.February9 with { };
}

/// <summary>The rule sets evaluated side by side, each with its versions through time, and which one is the default.</summary>
public sealed class RuleBook
{
    public RuleBook(RuleOptions options)
    {
        RuleSets =
        [
            new RuleSetVersions([
                new RuleVersion(Zhejiang5RuleSet.February9, new Zhejiang5RuleSet(options.Zhejiang5February9, Zhejiang5RuleSet.February9Version)),
                new RuleVersion(Zhejiang5RuleSet.February12, new Zhejiang5RuleSet(options.Zhejiang5, Zhejiang5RuleSet.February12Version)),
            ]),
            new RuleSetVersions([new RuleVersion(National3RuleSet.EffectiveFrom, new National3RuleSet())]),
            new RuleSetVersions([new RuleVersion(Harvard4RuleSet.EffectiveFrom, new Harvard4RuleSet())]),
        ];
        Default = RuleSets.FirstOrDefault(r => r.Name == options.DefaultRuleSet)
            ?? throw new ArgumentException(
                $"Unknown default rule set '{options.DefaultRuleSet}'; known: {string.Join(", ", RuleSets.Select(r => r.Name))}");
    }

    public IReadOnlyList<RuleSetVersions> RuleSets { get; }
    public RuleSetVersions Default { get; }

    public RuleSetVersions? Find(string name) => RuleSets.FirstOrDefault(r => r.Name == name);

    /// <summary>Every rule set's decision for one set of indicators, each by its version in force on <paramref name="day"/>.</summary>
    public IReadOnlyDictionary<string, ColourDecision> EvaluateAll(CountyIndicators indicators, DateOnly day) =>
        RuleSets.ToDictionary(r => r.Name, r => r.InForce(day).Evaluate(indicators));
}
