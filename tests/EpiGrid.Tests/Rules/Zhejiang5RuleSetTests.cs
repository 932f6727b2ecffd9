using System;
using System.Collections.Generic;
using EpiGrid.Counties.Rules;
using Shouldly;
using Xunit;

namespace EpiGrid.Tests.Rules;

/// <summary>
/// Zhejiang's five-colour county map: green without new cases for 14 days, otherwise a weighted score gives
/// red, orange, yellow or blue, stepped down by 3 and 7 quiet days but never below blue.
/// </summary>
public class Zhejiang5RuleSetTests
{
    /// <summary>The version in force from 12 February 2020, with the default parameters.</summary>
    static readonly Zhejiang5RuleSet Rules = new();
    static readonly Zhejiang5RuleSet February9 = new(Zhejiang5Parameters.February9, Zhejiang5RuleSet.February9Version);

    /// <summary>Weights that make the score equal the confirmed total (up to 100), so cut-offs can be hit exactly.</summary>
    static readonly Zhejiang5Parameters ScoreIsConfirmedTotal = new()
    {
        ConfirmedWeight = 1, ConfirmedSaturation = 100, LocalShareWeight = 0, ClusterWeight = 0, NewCasesWeight = 0,
        GreenAfterQuietDays = null,
    };

    static CountyIndicators Indicators(int confirmed, double localShare = 1, int clusters = 0, int newLast7Days = 0,
        int daysSinceLastNewCase = 0) => new()
    {
        ConfirmedTotal = confirmed,
        LocalShare = localShare,
        ClustersLast14Days = clusters,
        NewLast7Days = newLast7Days,
        NewLast14Days = Math.Max(1, newLast7Days),
        DaysSinceLastNewCase = daysSinceLastNewCase,
    };

    [Fact]
    public void Green_when_no_case_was_ever_confirmed()
    {
        var decision = County.Today().Suspected(20).Asymptomatic(20).EvaluatedBy(Rules);

        decision.Level.ShouldBe(RiskLevel.Low);
        decision.Colour.ShouldBe("green");
    }

    [Fact]
    public void From_12_February_green_when_nothing_new_was_confirmed_for_7_days_however_many_cases_before()
    {
        var decision = County.Today().Confirmed(300, daysAgo: 7, cluster: "factory").EvaluatedBy(Rules);

        decision.Colour.ShouldBe("green");
        decision.Reasons.ShouldHaveSingleItem().ShouldContain("7 days without a new case (>= 7)");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(14)]
    [InlineData(60)]
    public void On_9_February_only_a_county_without_a_case_is_green(int quietDays)
    {
        County.Today().Confirmed(1, daysAgo: quietDays, local: false).EvaluatedBy(February9).Colour.ShouldBe("blue");
        County.Today().Suspected(3).EvaluatedBy(February9).Colour.ShouldBe("green");
    }

    [Fact]
    public void Blue_at_least_when_one_imported_case_was_confirmed_within_7_days()
    {
        County.Today().Confirmed(1, daysAgo: 6, local: false).EvaluatedBy(Rules).Colour.ShouldBe("blue");
    }

    [Fact]
    public void On_9_February_new_cases_of_the_week_do_not_weigh()
    {
        var quiet = Indicators(confirmed: 10, localShare: 0.5, newLast7Days: 0, daysSinceLastNewCase: 0);
        var busy = quiet with { NewLast7Days = 10, NewLast14Days = 10 };

        February9.Evaluate(busy).Inputs["score"].ShouldBe(February9.Evaluate(quiet).Inputs["score"]);
        Rules.Evaluate(busy).Inputs["score"].ShouldBeGreaterThan(Rules.Evaluate(quiet).Inputs["score"]);
    }

    [Theory]
    [InlineData(1, "blue")]
    [InlineData(19, "blue")]
    [InlineData(20, "yellow")]
    [InlineData(39, "yellow")]
    [InlineData(40, "orange")]
    [InlineData(59, "orange")]
    [InlineData(60, "red")]
    [InlineData(100, "red")]
    public void Score_cut_offs_are_inclusive_lower_bounds(int score, string colour)
    {
        new Zhejiang5RuleSet(ScoreIsConfirmedTotal).Evaluate(Indicators(confirmed: score)).Colour.ShouldBe(colour);
    }

    [Theory]
    [InlineData(100, 1.0, 3, 10, "red")]     // 35 + 20 + 25 + 20 = 100
    [InlineData(40, 1.0, 1, 0, "orange")]    // 14 + 20 + 8.3 = 42.3
    [InlineData(10, 1.0, 0, 2, "yellow")]    // 3.5 + 20 + 4 = 27.5
    [InlineData(3, 0.0, 0, 3, "blue")]       // 1.05 + 6 = 7.05
    [InlineData(500, 0.0, 0, 0, "yellow")]   // 35: cumulative cases saturate at 100
    public void Default_weights_colour_typical_counties(int confirmed, double localShare, int clusters, int newLast7Days, string colour)
    {
        Rules.Evaluate(Indicators(confirmed, localShare, clusters, newLast7Days)).Colour.ShouldBe(colour);
    }

    [Theory]
    [InlineData(60, 0, "red")]
    [InlineData(60, 2, "red")]
    [InlineData(60, 3, "orange")]
    [InlineData(60, 6, "orange")]
    [InlineData(60, 7, "yellow")]
    [InlineData(60, 13, "yellow")]
    [InlineData(40, 3, "yellow")]
    [InlineData(40, 7, "blue")]
    [InlineData(20, 3, "blue")]
    [InlineData(20, 7, "blue")]
    [InlineData(19, 3, "blue")]
    [InlineData(19, 13, "blue")]
    public void Three_quiet_days_step_down_one_level_and_seven_two_never_below_blue(int score, int quietDays, string colour)
    {
        var indicators = Indicators(confirmed: score, daysSinceLastNewCase: quietDays);

        new Zhejiang5RuleSet(ScoreIsConfirmedTotal).Evaluate(indicators).Colour.ShouldBe(colour);
    }

    [Theory]
    [InlineData(0, "red")]
    [InlineData(2, "red")]
    [InlineData(3, "orange")]
    [InlineData(6, "orange")]
    [InlineData(7, "green")] // a quiet week
    [InlineData(14, "green")]
    public void A_red_county_cools_down_as_local_days_pass_without_a_new_case(int daysSinceLastCase, string colour)
    {
        RedCounty(daysSinceLastCase).EvaluatedBy(Rules).Colour.ShouldBe(colour);
    }

    [Theory]
    [InlineData(0, "red")]     // 100 × (0.45 × 100/150 + 0.25 + 0.30) = 85
    [InlineData(3, "orange")]
    [InlineData(7, "yellow")]  // two levels down from red
    [InlineData(14, "blue")]   // the clusters have left the 14-day window: score 55, orange two levels down
    [InlineData(40, "blue")]   // never green while it has had a case
    public void Under_the_9_February_version_a_red_county_cools_down_but_never_to_green(int daysSinceLastCase, string colour)
    {
        RedCounty(daysSinceLastCase).EvaluatedBy(February9).Colour.ShouldBe(colour);
    }

    /// <summary>100 confirmed, all local, 3 clusters of two, the last <paramref name="daysSinceLastCase"/> days ago.</summary>
    static County RedCounty(int daysSinceLastCase) => County.Today()
        .Confirmed(94, daysAgo: daysSinceLastCase)
        .Confirmed(2, daysAgo: daysSinceLastCase, cluster: "a")
        .Confirmed(2, daysAgo: daysSinceLastCase, cluster: "b")
        .Confirmed(2, daysAgo: daysSinceLastCase, cluster: "c");

    [Fact]
    public void A_step_down_is_given_as_a_reason()
    {
        var decision = new Zhejiang5RuleSet(ScoreIsConfirmedTotal).Evaluate(Indicators(confirmed: 60, daysSinceLastNewCase: 7));

        decision.Reasons.Count.ShouldBe(2);
        decision.Reasons[0].ShouldStartWith("Score 60");
        decision.Reasons[1].ShouldContain("7 consecutive days without a new case: down 2 level(s)");
        decision.Inputs["score"].ShouldBe(60);
        decision.Inputs["daysSinceLastNewCase"].ShouldBe(7);
    }

    [Fact]
    public void No_step_down_reason_when_already_blue()
    {
        new Zhejiang5RuleSet(ScoreIsConfirmedTotal).Evaluate(Indicators(confirmed: 5, daysSinceLastNewCase: 9))
            .Reasons.ShouldHaveSingleItem().ShouldStartWith("Score 5");
    }

    /// <summary>
    /// 120 confirmed (35) + 14 of them local (20 × 7/60 = 2.33) + 2 clusters (25 × 2/3 = 16.67) + 3 new in 7 days (6)
    /// = 60 exactly. Summed in floating point the terms give 59.999999999999986, which must still be red.
    /// </summary>
    [Fact]
    public void A_score_exactly_on_a_cut_off_is_not_lost_to_rounding_error()
    {
        var indicators = Indicators(confirmed: 120, localShare: 14 / 120.0, clusters: 2, newLast7Days: 3);

        Rules.Evaluate(indicators).Colour.ShouldBe("red");
    }

    [Fact]
    public void Version_is_the_base_version_plus_a_fingerprint_of_the_parameters()
    {
        Rules.Version.ShouldBe($"2020-02-12.2+{new Zhejiang5Parameters().Fingerprint()}");
        February9.Version.ShouldBe($"2020-02-09.1+{Zhejiang5Parameters.February9.Fingerprint()}");
        new Zhejiang5RuleSet(new Zhejiang5Parameters()).Version.ShouldBe(Rules.Version);
        Rules.Evaluate(Indicators(confirmed: 3)).RuleVersion.ShouldBe(Rules.Version);
    }

    public static TheoryData<string, Zhejiang5Parameters> ChangedParameters() => new()
    {
        { "ConfirmedWeight", new() { ConfirmedWeight = 0.36 } },
        { "ConfirmedSaturation", new() { ConfirmedSaturation = 101 } },
        { "LocalShareWeight", new() { LocalShareWeight = 0.21 } },
        { "ClusterWeight", new() { ClusterWeight = 0.26 } },
        { "ClusterSaturation", new() { ClusterSaturation = 4 } },
        { "NewCasesWeight", new() { NewCasesWeight = 0.19 } },
        { "NewCasesSaturation", new() { NewCasesSaturation = 11 } },
        { "RedFrom", new() { RedFrom = 61 } },
        { "OrangeFrom", new() { OrangeFrom = 41 } },
        { "YellowFrom", new() { YellowFrom = 21 } },
        { "StepDownOneAfterQuietDays", new() { StepDownOneAfterQuietDays = 4 } },
        { "StepDownTwoAfterQuietDays", new() { StepDownTwoAfterQuietDays = 8 } },
        { "GreenAfterQuietDays", new() { GreenAfterQuietDays = 8 } },
        { "GreenAfterQuietDays null", new() { GreenAfterQuietDays = null } },
    };

    [Theory]
    [MemberData(nameof(ChangedParameters))]
    public void Changing_any_parameter_changes_the_version(string changed, Zhejiang5Parameters parameters)
    {
        new Zhejiang5RuleSet(parameters).Version.ShouldNotBe(Rules.Version, changed);
    }

    [Fact]
    public void Different_parameter_sets_have_different_versions()
    {
        var versions = new HashSet<string> { Rules.Version };
        foreach (var row in ChangedParameters())
            versions.Add(new Zhejiang5RuleSet((Zhejiang5Parameters)row[1]).Version).ShouldBeTrue();
    }
}
