using EpiGrid.Resumption;

namespace EpiGrid.Tests.Resumption;

public sealed class ResumptionIndexRuleTests
{
    static readonly ResumptionIndexRule Rule = new();
    static readonly DateOnly Feb19 = new(2020, 2, 19);

    /// <summary>
    /// 10,000 enterprises with a baseline of 100 kWh: <paramref name="resumed"/> of them at or above 30 kWh, the rest
    /// idle, and <paramref name="totalKwh"/> in all, so the rates come out exactly as published.
    /// </summary>
    static IEnumerable<(double Kwh, double BaselineKwh)> Province(int resumed, double totalKwh)
    {
        yield return (totalKwh - (resumed - 1) * 30, 100);
        for (var i = 1; i < resumed; i++) yield return (30, 100);
        for (var i = resumed; i < 10_000; i++) yield return (0, 100);
    }

    [Theory]
    [InlineData(5760, 452_800, 0.5760, 0.4528, 51.44)] // 19 Feb 2020
    [InlineData(6015, 472_700, 0.6015, 0.4727, 53.71)] // 20 Feb 2020
    public void The_index_is_the_average_of_the_resumption_and_production_rates_as_published(
        int resumed, double totalKwh, double resumptionRate, double productionRate, double index)
    {
        var figures = Rule.Figures(Feb19, Rule.Tally(Province(resumed, totalKwh)));

        figures.Enterprises.ShouldBe(10_000);
        figures.Resumed.ShouldBe(resumed);
        figures.ResumptionRate.ShouldBe(resumptionRate, 1e-12);
        figures.ProductionRate.ShouldBe(productionRate, 1e-12);
        figures.Index.ShouldBe(index);
        ResumptionIndexRule.Index(resumptionRate, productionRate).ShouldBe(index);
    }

    [Theory]
    [InlineData(30.0, 100.0, true)]
    [InlineData(29.99, 100.0, false)]
    [InlineData(3.0, 10.0, true)]
    [InlineData(0.3, 1.0, true)]
    [InlineData(2999.9999, 10_000.0, false)]
    [InlineData(0.0, 100.0, false)]
    [InlineData(250.0, 100.0, true)]
    public void An_enterprise_is_resumed_from_30_percent_of_its_baseline(double kwh, double baseline, bool resumed) =>
        Rule.IsResumed(kwh, baseline).ShouldBe(resumed);

    [Fact]
    public void The_threshold_is_configurable_and_named_in_the_version()
    {
        var strict = new ResumptionIndexRule(new ResumptionOptions { ResumedFrom = 0.5 });

        strict.IsResumed(30, 100).ShouldBeFalse();
        strict.IsResumed(50, 100).ShouldBeTrue();
        strict.Version.ShouldNotBe(Rule.Version);
        Rule.Version.ShouldEndWith("+r0.3");
        Should.Throw<ArgumentOutOfRangeException>(() => new ResumptionIndexRule(0));
    }

    [Fact]
    public void County_sums_add_up_to_the_province_exactly()
    {
        var a = Rule.Tally([(30, 100), (0, 100)]);
        var b = Rule.Tally([(10, 100), (80, 100), (100, 100)]);

        var province = Rule.Figures(Feb19, a + b);

        province.Enterprises.ShouldBe(5);
        province.Resumed.ShouldBe(3);
        province.ProductionRate.ShouldBe(220.0 / 500, 1e-12);
        province.Index.ShouldBe(Math.Round(100 * (0.6 + 0.44) / 2, 2));
    }

    [Fact]
    public void Industries_are_tallied_by_the_same_rule_and_add_up_to_the_total()
    {
        (string, double, double)[] readings = [("textiles", 50, 100), ("machinery", 300, 1000), ("textiles", 20, 200), ("machinery", 0, 500), ("logistics", 40, 50)];

        var tally = Rule.Tally(readings);
        var figures = Rule.Figures(Feb19, tally, byIndustry: true);

        figures.Industries!.Select(i => i.Industry).ShouldBe(["logistics", "machinery", "textiles"]);
        figures.Industries!.Sum(i => i.Enterprises).ShouldBe(figures.Enterprises);
        figures.Industries!.Sum(i => i.Resumed).ShouldBe(figures.Resumed);
        figures.Industries!.Select(i => i.Index).ShouldBe([90.0, 35.0, 36.67]);
        (figures with { Industries = null }).ShouldBe(Rule.Figures(Feb19, Rule.Tally(readings.Select(r => (r.Item2, r.Item3)))));
        Rule.Figures(Feb19, tally).Industries.ShouldBeNull();
        Rule.Figures(Feb19, tally + Rule.Tally([("chemicals", 100d, 400d), ("textiles", 100d, 100d)]), byIndustry: true).Industries!
            .Select(i => (i.Industry, i.Enterprises, i.Resumed)).ShouldBe([("chemicals", 1, 0), ("logistics", 1, 1), ("machinery", 2, 1), ("textiles", 3, 2)]);
    }

    [Fact]
    public void No_readings_give_zero_not_a_division_by_zero() =>
        Rule.Figures(Feb19, ResumptionTally.Zero).ShouldBe(new ResumptionFigures(Feb19, 0, 0, 0, 0, 0, Rule.Version));
}
