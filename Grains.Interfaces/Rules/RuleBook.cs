namespace EpiGrid.Rules;

/// <summary>Configuration of the colour rules (section "Rules").</summary>
public sealed record RuleOptions
{
    public const string Section = "Rules";
    public string DefaultRuleSet { get; init; } = Zhejiang5RuleSet.RuleSetName;
    public Zhejiang5Parameters Zhejiang5 { get; init; } = new();
}

/// <summary>The rule sets evaluated side by side, and which one is the default.</summary>
public sealed class RuleBook
{
    public RuleBook(RuleOptions options)
    {
        RuleSets = [new Zhejiang5RuleSet(options.Zhejiang5), new National3RuleSet(), new Harvard4RuleSet()];
        Default = RuleSets.FirstOrDefault(r => r.Name == options.DefaultRuleSet)
            ?? throw new ArgumentException(
                $"Unknown default rule set '{options.DefaultRuleSet}'; known: {string.Join(", ", RuleSets.Select(r => r.Name))}");
    }

    public IReadOnlyList<IColourRuleSet> RuleSets { get; }
    public IColourRuleSet Default { get; }

    public IColourRuleSet? Find(string name) => RuleSets.FirstOrDefault(r => r.Name == name);

    /// <summary>Every rule set's decision for one set of indicators.</summary>
    public IReadOnlyDictionary<string, ColourDecision> EvaluateAll(CountyIndicators indicators) =>
        RuleSets.ToDictionary(r => r.Name, r => r.Evaluate(indicators));
}
