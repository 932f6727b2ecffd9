namespace EpiGrid.Counties.Rules;

/// <summary>
/// Harvard Global Health Institute / Brown "Key Metrics" (July 2020): daily new cases per 100,000 people,
/// 7-day average: green below 1, yellow 1 to below 10, orange 10 to below 25, red 25 and above.
/// </summary>
public sealed class Harvard4RuleSet : IColourRuleSet
{
    public const string RuleSetName = "harvard-4";

    public string Name => RuleSetName;
    /// <summary>The Key Metrics were published in July 2020; applied to earlier days for comparison.</summary>
    public static readonly DateOnly EffectiveFrom = new(2020, 7, 1);
    public string Version => "2020-07-01.1";

    public ColourDecision Evaluate(CountyIndicators i)
    {
        var rate = i.DailyNewPer100kAvg7;
        var inputs = new Dictionary<string, double>
        {
            ["newLast7Days"] = i.NewLast7Days,
            ["population"] = i.Population,
            ["dailyNewPer100kAvg7"] = rate,
        };
        var (level, colour, band) = rate switch
        {
            < 1 => (RiskLevel.Low, "green", "< 1"),
            < 10 => (RiskLevel.Medium, "yellow", "1 to < 10"),
            < 25 => (RiskLevel.FairlyHigh, "orange", "10 to < 25"),
            _ => (RiskLevel.High, "red", ">= 25"),
        };
        var reason = $"{rate:0.###} daily new cases per 100k (7-day average of {i.NewLast7Days} over {i.Population:N0} people): {band} / 每十万人日均新增";
        return new ColourDecision(Name, Version, level, colour, [reason], inputs);
    }
}
