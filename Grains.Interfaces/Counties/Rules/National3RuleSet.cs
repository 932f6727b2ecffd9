namespace EpiGrid.Counties.Rules;

/// <summary>
/// China's county rule of 17 February 2020 (指导意见): low if no confirmed case or none newly confirmed in 14 days;
/// high if more than 50 confirmed in total and a cluster within 14 days; otherwise medium.
/// </summary>
public sealed class National3RuleSet : IColourRuleSet
{
    public const string RuleSetName = "national-3";
    public const int HighCaseThreshold = 50;

    public string Name => RuleSetName;
    /// <summary>The State Council guidance of 17 February 2020.</summary>
    public static readonly DateOnly EffectiveFrom = new(2020, 2, 17);
    public string Version => "2020-02-17.1";

    public ColourDecision Evaluate(CountyIndicators i)
    {
        var inputs = new Dictionary<string, double>
        {
            ["confirmedTotal"] = i.ConfirmedTotal,
            ["newLast14Days"] = i.NewLast14Days,
            ["clustersLast14Days"] = i.ClustersLast14Days,
        };
        if (i.ConfirmedTotal == 0)
            return Decide(RiskLevel.Low, inputs, "No confirmed case / 无确诊病例");
        if (i.NewLast14Days == 0)
            return Decide(RiskLevel.Low, inputs,
                $"No new confirmed case for {i.DaysSinceLastNewCase} days (>= 14) / 连续14天无新增确诊病例");
        if (i.ConfirmedTotal > HighCaseThreshold && i.ClustersLast14Days > 0)
            return Decide(RiskLevel.High, inputs,
                $"{i.ConfirmedTotal} confirmed in total (> {HighCaseThreshold}) / 累计确诊病例超过50例",
                $"{i.ClustersLast14Days} cluster(s) within 14 days / 14天内有聚集性疫情");
        return Decide(RiskLevel.Medium, inputs,
            $"{i.NewLast14Days} new confirmed case(s) within 14 days / 14天内有新增确诊病例",
            i.ConfirmedTotal > HighCaseThreshold
                ? $"{i.ConfirmedTotal} confirmed in total but no cluster within 14 days / 累计超过50例，14天内未发生聚集性疫情"
                : $"{i.ConfirmedTotal} confirmed in total (<= {HighCaseThreshold}) / 累计确诊病例不超过50例");
    }

    ColourDecision Decide(RiskLevel level, Dictionary<string, double> inputs, params string[] reasons) =>
        new(Name, Version, level, ColourOf(level), reasons, inputs);

    static string ColourOf(RiskLevel level) => level switch
    {
        RiskLevel.High => "red",
        RiskLevel.Medium => "yellow",
        _ => "green",
    };
}
