using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EpiGrid.Counties.Rules;

/// <summary>
/// Weights and cut-offs of the Zhejiang five-colour map. The official values were never published: these defaults
/// are illustrative and documented in docs/rules.md; deployments set their own. The defaults are the 12 February 2020
/// version's; <see cref="February9"/> holds the first version's.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.zhejiang5-parameters")]
public sealed record Zhejiang5Parameters
{
    [Id(0)] public double ConfirmedWeight { get; init; } = 0.35;
    /// <summary>Cumulative confirmed cases at which the confirmed indicator saturates at 1.</summary>
    [Id(1)] public double ConfirmedSaturation { get; init; } = 100;
    [Id(2)] public double LocalShareWeight { get; init; } = 0.20;
    [Id(3)] public double ClusterWeight { get; init; } = 0.25;
    [Id(4)] public double ClusterSaturation { get; init; } = 3;
    /// <summary>New cases in the last 7 days: the indicator Zhejiang added on 12 February 2020.</summary>
    [Id(5)] public double NewCasesWeight { get; init; } = 0.20;
    [Id(6)] public double NewCasesSaturation { get; init; } = 10;
    [Id(7)] public double RedFrom { get; init; } = 60;
    [Id(8)] public double OrangeFrom { get; init; } = 40;
    [Id(9)] public double YellowFrom { get; init; } = 20;
    /// <summary>Quiet days that step a county down one level, and two levels.</summary>
    [Id(10)] public int StepDownOneAfterQuietDays { get; init; } = 3;
    [Id(11)] public int StepDownTwoAfterQuietDays { get; init; } = 7;
    /// <summary>
    /// Quiet days after which a county with cases is green; null: only a county without a confirmed case is green.
    /// Our reading of the published counts (docs/rules.md): on 9 February only the counties without a case were green,
    /// from 12 February a county without a new case in the past week was.
    /// </summary>
    [Id(12)] public int? GreenAfterQuietDays { get; init; } = 7;

    /// <summary>The version re-assessed from 12 February 2020: new cases in the past week weigh in, a quiet week is green.</summary>
    public static Zhejiang5Parameters February12 { get; } = new();

    /// <summary>
    /// The first version, of 9 February 2020: cumulative cases, the local share and clusters only (the new-cases weight
    /// spread over them in proportion), 3 and 7 quiet days step down, and only a county without a case is green. The
    /// confirmed-case saturation (150) and the red cut-off (80) are calibrated against the published map of 9 February
    /// with the simulator's February cases (docs/rules.md); still illustrative.
    /// </summary>
    public static Zhejiang5Parameters February9 { get; } = new()
    {
        ConfirmedWeight = 0.45, ConfirmedSaturation = 150, LocalShareWeight = 0.25, ClusterWeight = 0.30, NewCasesWeight = 0,
        RedFrom = 80, GreenAfterQuietDays = null,
    };

    /// <summary>A short fingerprint of these values, part of the rule version so history records which weights decided.</summary>
    public string Fingerprint()
    {
        var text = string.Join('|', new object[]
        {
            ConfirmedWeight, ConfirmedSaturation, LocalShareWeight, ClusterWeight, ClusterSaturation, NewCasesWeight,
            NewCasesSaturation, RedFrom, OrangeFrom, YellowFrom, StepDownOneAfterQuietDays, StepDownTwoAfterQuietDays,
            GreenAfterQuietDays ?? -1,
        }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }
}

/// <summary>
/// Zhejiang's five-colour county map (县域疫情风险五色图, from 9 February 2020): a weighted score over cumulative
/// confirmed cases, the share of local infections, clusters and (from 12 February) new cases in the past week gives
/// red, orange, yellow or blue; 3 and 7 consecutive days without a new case step a county down one and two levels
/// (never below blue); a county with no confirmed case is green, and from 12 February one quiet for
/// <see cref="Zhejiang5Parameters.GreenAfterQuietDays"/> days too. One instance is one version: the
/// <see cref="RuleBook"/> holds the versions with the day each took effect.
/// </summary>
public sealed class Zhejiang5RuleSet(Zhejiang5Parameters parameters, string baseVersion) : IColourRuleSet
{
    public const string RuleSetName = "zhejiang-5";
    public const string February9Version = "2020-02-09.1";
    public const string February12Version = "2020-02-12.2";
    public static readonly DateOnly February9 = new(2020, 2, 9);
    public static readonly DateOnly February12 = new(2020, 2, 12);

    /// <summary>The 12 February version with the default parameters.</summary>
    public Zhejiang5RuleSet() : this(Zhejiang5Parameters.February12, February12Version) { }

    /// <summary>The 12 February version with these parameters.</summary>
    public Zhejiang5RuleSet(Zhejiang5Parameters parameters) : this(parameters, February12Version) { }

    public Zhejiang5Parameters Parameters => parameters;
    public string BaseVersion => baseVersion;
    public string Name => RuleSetName;
    public string Version { get; } = $"{baseVersion}+{parameters.Fingerprint()}";

    public ColourDecision Evaluate(CountyIndicators i)
    {
        var p = parameters;
        var confirmed = Saturate(i.ConfirmedTotal, p.ConfirmedSaturation);
        var clusters = Saturate(i.ClustersLast14Days, p.ClusterSaturation);
        var recent = Saturate(i.NewLast7Days, p.NewCasesSaturation);
        // Rounded so a score exactly on a cut-off is not lost to floating-point error (59.999999999999986 < 60).
        var score = Math.Round(100 * (p.ConfirmedWeight * confirmed + p.LocalShareWeight * i.LocalShare
                                      + p.ClusterWeight * clusters + p.NewCasesWeight * recent), 9);
        var inputs = new Dictionary<string, double>
        {
            ["confirmedTotal"] = i.ConfirmedTotal,
            ["localShare"] = i.LocalShare,
            ["clustersLast14Days"] = i.ClustersLast14Days,
            ["newLast7Days"] = i.NewLast7Days,
            ["daysSinceLastNewCase"] = i.DaysSinceLastNewCase ?? -1,
            ["score"] = Math.Round(score, 3),
        };

        if (i.ConfirmedTotal == 0)
            return Decide(RiskLevel.Low, inputs, ["No confirmed case / 无确诊病例"]);
        if (p.GreenAfterQuietDays is { } greenAfter && i.DaysSinceLastNewCase >= greenAfter)
            return Decide(RiskLevel.Low, inputs,
                [$"{i.DaysSinceLastNewCase} days without a new case (>= {greenAfter}) / 连续{i.DaysSinceLastNewCase}天无新增（≥{greenAfter}天）"]);

        var reasons = new List<string>
        {
            $"Score {score:0.#} = confirmed {confirmed:0.##}×{p.ConfirmedWeight} + local share {i.LocalShare:0.##}×{p.LocalShareWeight}"
            + $" + clusters {clusters:0.##}×{p.ClusterWeight} + new in 7 days {recent:0.##}×{p.NewCasesWeight} (×100) / 加权得分",
        };
        var scored = score >= p.RedFrom ? RiskLevel.High
            : score >= p.OrangeFrom ? RiskLevel.FairlyHigh
            : score >= p.YellowFrom ? RiskLevel.Medium
            : RiskLevel.FairlyLow;
        var quiet = i.DaysSinceLastNewCase ?? 0;
        var steps = quiet >= p.StepDownTwoAfterQuietDays ? 2 : quiet >= p.StepDownOneAfterQuietDays ? 1 : 0;
        var level = (RiskLevel)Math.Max((int)RiskLevel.FairlyLow, (int)scored - steps);
        if (steps > 0 && level != scored)
            reasons.Add($"{quiet} consecutive days without a new case: down {(int)scored - (int)level} level(s) / 连续{quiet}天无新增，降级");
        return Decide(level, inputs, reasons);
    }

    ColourDecision Decide(RiskLevel level, Dictionary<string, double> inputs, IReadOnlyList<string> reasons) =>
        new(Name, Version, level, ColourOf(level), reasons, inputs);

    static double Saturate(double value, double saturation) => saturation <= 0 ? 0 : Math.Min(value / saturation, 1);

    static string ColourOf(RiskLevel level) => level switch
    {
        RiskLevel.High => "red",
        RiskLevel.FairlyHigh => "orange",
        RiskLevel.Medium => "yellow",
        RiskLevel.FairlyLow => "blue",
        _ => "green",
    };
}
