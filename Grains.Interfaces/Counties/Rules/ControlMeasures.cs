using System.Security.Cryptography;
using System.Text;

namespace EpiGrid.Counties.Rules;

/// <summary>One control measure, in English and Chinese.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.measure")]
public sealed record Measure
{
    [Id(0)] public string En { get; init; } = "";
    [Id(1)] public string Zh { get; init; } = "";

    public Measure() { }
    public Measure(string en, string zh) => (En, Zh) = (en, zh);
}

/// <summary>The measures that apply at one level of one rule set, with the table's version and where they come from.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.measures-in-force")]
public sealed record MeasuresInForce(
    [property: Id(0)] string RuleSet, [property: Id(1)] string Colour, [property: Id(2)] string Version,
    [property: Id(3)] string Source, [property: Id(4)] IReadOnlyList<Measure> Items);

/// <summary>
/// Configuration of the measures table (section "Measures"): replacements per rule set and colour, e.g.
/// <c>Measures:Overrides:zhejiang-5:red:0:En</c>. A replaced entry is labelled as the deployment's.
/// </summary>
public sealed record MeasureOptions
{
    public const string Section = "Measures";
    public Dictionary<string, Dictionary<string, List<Measure>>> Overrides { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Which control measures follow each colour of each rule set (分区分级差异化防控): a versioned table, pure. The
/// county panel shows the measures in force and a colour-change alert names those that now apply. The version
/// changes when the shipped table changes or a deployment overrides an entry (a fingerprint of the overrides).
/// </summary>
public sealed class MeasureTable
{
    public const string BaseVersion = "2020-02-17.1";

    const string NationalSource =
        "State Council joint prevention and control mechanism, guidance of 17 February 2020 (high and medium as quoted, docs/sources.md); "
        + "the low-risk wording is EpiGrid's, after the same guidance";
    const string ZhejiangSource =
        "Written by EpiGrid (illustrative): the province's published guidance per colour was not found; the strictest entries "
        + "follow the national strategies and the closures of early February 2020 (docs/sources.md)";
    const string HarvardSource = "Wording by EpiGrid after the Key Metrics' guidance per risk level, July 2020 (docs/sources.md)";

    static readonly Dictionary<string, (string Source, Dictionary<string, Measure[]> ByColour)> Shipped = new(StringComparer.Ordinal)
    {
        [Zhejiang5RuleSet.RuleSetName] = (ZhejiangSource, new(StringComparer.Ordinal)
        {
            ["red"] =
            [
                new("Strict control: prevent spread inside and export outside", "严格管控：内防扩散、外防输出"),
                new("Closed management of communities and villages; one person per household out every two days", "小区（村）封闭管理，每户每两天一人外出采购"),
                new("Close contacts in central quarantine; checkpoints on roads out", "密切接触者集中隔离，出县道口设卡查验"),
                new("Only essential services and epidemic supplies at work", "仅保障基本民生和防疫物资生产"),
            ],
            ["orange"] =
            [
                new("Prevent spread inside and export outside", "内防扩散、外防输出"),
                new("Closed management of communities with registration and temperature checks at the gate", "小区（村）封闭式管理，出入登记测温"),
                new("Work resumes in stages after the county's review", "经县级评估后分批有序复工"),
            ],
            ["yellow"] =
            [
                new("Prevent import from outside and spread inside", "外防输入、内防扩散"),
                new("Health codes checked at community gates and public places", "社区出入口和公共场所查验健康码"),
                new("Work and daily life resume in order", "有序恢复生产生活秩序"),
            ],
            ["blue"] =
            [
                new("Prevent import: arrivals screened and watched by their grid", "外防输入：来浙返浙人员由网格排查管控"),
                new("Work resumes quickly; gatherings kept small", "加快复工复产，控制聚集性活动"),
            ],
            ["green"] =
            [
                new("Prevent import", "外防输入"),
                new("Normal production and daily life fully restored", "全面恢复正常生产生活秩序"),
            ],
        }),
        [National3RuleSet.RuleSetName] = (NationalSource, new(StringComparer.Ordinal)
        {
            ["red"] = [new("Prevent spread inside and export outside; strict control", "内防扩散、外防输出、严格管控")],
            ["yellow"] =
            [
                new("Prevent import from outside and spread inside", "外防输入、内防扩散"),
                new("Restore normal production and daily life as soon as orderly", "尽快有序恢复正常生产生活秩序"),
            ],
            ["green"] =
            [
                new("Prevent import", "外防输入"),
                new("Restore production and daily life fully", "全面恢复生产生活秩序"),
            ],
        }),
        [Harvard4RuleSet.RuleSetName] = (HarvardSource, new(StringComparer.Ordinal)
        {
            ["red"] = [new("Tipping point: stay-at-home orders necessary", "临界点：必须居家令")],
            ["orange"] = [new("Accelerated spread: stay-at-home orders and/or rigorous testing and tracing", "加速传播：居家令和/或严格检测与追踪")],
            ["yellow"] = [new("Community spread: rigorous testing and contact tracing", "社区传播：严格检测与密接追踪")],
            ["green"] = [new("On track for containment: testing and tracing to suppress", "有望控制：持续检测与追踪以压制")],
        }),
    };

    readonly MeasureOptions options;

    public MeasureTable(MeasureOptions options)
    {
        this.options = options;
        Version = options.Overrides.Count == 0 ? BaseVersion : $"{BaseVersion}+{Fingerprint(options)}";
    }

    public string Version { get; }

    /// <summary>The measures of a colour under a rule set; none for a colour the table does not list.</summary>
    public MeasuresInForce For(string ruleSet, string colour)
    {
        if (options.Overrides.TryGetValue(ruleSet, out var mine) && mine.TryGetValue(colour, out var items))
            return new MeasuresInForce(ruleSet, colour, Version, "Configured by this deployment (Measures:Overrides)", items);
        return Shipped.TryGetValue(ruleSet, out var shipped)
            ? new MeasuresInForce(ruleSet, colour, Version, shipped.Source, shipped.ByColour.GetValueOrDefault(colour) ?? [])
            : new MeasuresInForce(ruleSet, colour, Version, "", []);
    }

    static string Fingerprint(MeasureOptions options)
    {
        var text = string.Join('\n', options.Overrides.OrderBy(r => r.Key, StringComparer.Ordinal)
            .SelectMany(r => r.Value.OrderBy(c => c.Key, StringComparer.Ordinal)
                .SelectMany(c => c.Value.Select(m => $"{r.Key}|{c.Key}|{m.En}|{m.Zh}"))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }
}
