using System;
using EpiGrid.Counties.Rules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Shouldly;
using Xunit;

namespace EpiGrid.Tests.Rules;

/// <summary>Harvard/Brown Key Metrics: daily new confirmed cases per 100,000 people, 7-day average.</summary>
public class Harvard4RuleSetTests
{
    static readonly Harvard4RuleSet Rules = new();

    [Theory]
    [InlineData(0, 100_000, "green", RiskLevel.Low)]
    [InlineData(7, 100_001, "green", RiskLevel.Low)]          // 0.99999
    [InlineData(7, 100_000, "yellow", RiskLevel.Medium)]      // exactly 1
    [InlineData(70, 100_001, "yellow", RiskLevel.Medium)]     // 9.9999
    [InlineData(70, 100_000, "orange", RiskLevel.FairlyHigh)] // exactly 10
    [InlineData(7, 10_000, "orange", RiskLevel.FairlyHigh)]   // exactly 10
    [InlineData(7, 4_001, "orange", RiskLevel.FairlyHigh)]    // 24.99
    [InlineData(7, 4_000, "red", RiskLevel.High)]             // exactly 25
    [InlineData(175, 100_000, "red", RiskLevel.High)]         // exactly 25
    [InlineData(700, 100_000, "red", RiskLevel.High)]         // 100
    public void Colour_follows_the_daily_new_cases_per_100k_averaged_over_7_days(
        int newLast7Days, int population, string colour, RiskLevel level)
    {
        var decision = County.Today().WithPopulation(population).Confirmed(newLast7Days, daysAgo: 3).EvaluatedBy(Rules);

        decision.Colour.ShouldBe(colour);
        decision.Level.ShouldBe(level);
    }

    [Fact]
    public void Rate_is_new_cases_of_the_last_7_local_days_over_7_per_100k_people()
    {
        var indicators = County.Today().WithPopulation(200_000)
            .Confirmed(10, daysAgo: 0).Confirmed(4, daysAgo: 6).Confirmed(500, daysAgo: 7)
            .Indicators();

        indicators.NewLast7Days.ShouldBe(14);
        indicators.DailyNewPer100kAvg7.ShouldBe(1.0);
    }

    [Fact]
    public void Green_once_the_cases_are_7_or_more_days_old_however_many()
    {
        County.Today().WithPopulation(10_000).Confirmed(500, daysAgo: 7).EvaluatedBy(Rules).Colour.ShouldBe("green");
    }

    [Fact]
    public void Suspected_and_asymptomatic_cases_do_not_raise_the_rate()
    {
        County.Today().WithPopulation(10_000).Suspected(500).Asymptomatic(500).EvaluatedBy(Rules).Colour.ShouldBe("green");
    }

    [Fact]
    public void Decision_states_the_rate_and_its_band()
    {
        var decision = County.Today().WithPopulation(4_000).Confirmed(7).EvaluatedBy(Rules);

        decision.RuleSet.ShouldBe("harvard-4");
        decision.Reasons.ShouldHaveSingleItem().ShouldStartWith("25 daily new cases per 100k");
        decision.Reasons[0].ShouldContain(">= 25");
        decision.Inputs["dailyNewPer100kAvg7"].ShouldBe(25);
        decision.Inputs["newLast7Days"].ShouldBe(7);
        decision.Inputs["population"].ShouldBe(4_000);
    }

    [Property(Arbitrary = [typeof(PopulationScales)])]
    public void Band_edges_are_exact_at_any_population_scale(PopulationScale scale)
    {
        var m = scale.Multiple;
        ColourAt(7 * m, 100_000 * m).ShouldBe("yellow");
        ColourAt(7 * m, 100_000 * m + 1).ShouldBe("green");
        ColourAt(7 * m, 10_000 * m).ShouldBe("orange");
        ColourAt(7 * m, 10_000 * m + 1).ShouldBe("yellow");
        ColourAt(7 * m, 4_000 * m).ShouldBe("red");
        ColourAt(7 * m, 4_000 * m + 1).ShouldBe("orange");
    }

    static string ColourAt(int newLast7Days, int population) =>
        County.Today().WithPopulation(population).Confirmed(newLast7Days, daysAgo: 1).EvaluatedBy(Rules).Colour;
}

/// <summary>Populations scaled by <see cref="Multiple"/> (1 to 300) so that the rate lands exactly on a band edge.</summary>
public sealed record PopulationScale(int Multiple);

public static class PopulationScales
{
    public static Arbitrary<PopulationScale> Scales() => Arb.From(Gen.Choose(1, 300).Select(m => new PopulationScale(m)));
}
