using System;
using System.Linq;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using Shouldly;
using Xunit;

namespace EpiGrid.Tests.Rules;

/// <summary>China's county rule of 17 February 2020: low, medium or high.</summary>
public class National3RuleSetTests
{
    static readonly National3RuleSet Rules = new();

    [Fact]
    public void High_when_more_than_50_confirmed_and_a_cluster_within_14_days()
    {
        var decision = County.Today()
            .Confirmed(49, daysAgo: 5)
            .Confirmed(2, daysAgo: 1, cluster: "family-1")
            .EvaluatedBy(Rules);

        decision.Level.ShouldBe(RiskLevel.High);
        decision.Colour.ShouldBe("red");
    }

    [Fact]
    public void Medium_when_exactly_50_confirmed_even_with_a_cluster_within_14_days()
    {
        var decision = County.Today()
            .Confirmed(48, daysAgo: 5)
            .Confirmed(2, daysAgo: 1, cluster: "family-1")
            .EvaluatedBy(Rules);

        decision.Level.ShouldBe(RiskLevel.Medium);
        decision.Colour.ShouldBe("yellow");
    }

    [Fact]
    public void Medium_when_3_cases_were_confirmed_within_14_days()
    {
        County.Today().Confirmed(3, daysAgo: 2).EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void Low_when_no_case_was_ever_confirmed()
    {
        var decision = County.Today().EvaluatedBy(Rules);

        decision.Level.ShouldBe(RiskLevel.Low);
        decision.Colour.ShouldBe("green");
    }

    [Fact]
    public void Medium_when_more_than_50_confirmed_but_no_cluster_within_14_days()
    {
        County.Today().Confirmed(80, daysAgo: 3).EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    public void Medium_when_the_last_case_was_confirmed_up_to_13_days_ago(int daysAgo)
    {
        County.Today().Confirmed(3, daysAgo: daysAgo).EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(40)]
    public void Low_when_the_last_case_was_confirmed_14_or_more_days_ago(int daysAgo)
    {
        var decision = County.Today().Confirmed(3, daysAgo: daysAgo).EvaluatedBy(Rules);

        decision.Level.ShouldBe(RiskLevel.Low);
        decision.Reasons.ShouldHaveSingleItem().ShouldContain($"{daysAgo} days");
    }

    [Fact]
    public void Low_when_more_than_50_confirmed_and_an_old_cluster_but_nothing_new_for_14_days()
    {
        County.Today()
            .Confirmed(60, daysAgo: 20)
            .Confirmed(2, daysAgo: 14, cluster: "factory")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void High_when_both_cluster_members_were_confirmed_13_days_ago()
    {
        County.Today()
            .Confirmed(49, daysAgo: 20)
            .Confirmed(2, daysAgo: 13, cluster: "factory")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.High);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(15)]
    public void No_cluster_when_one_member_was_confirmed_14_or_more_days_ago(int olderMemberDaysAgo)
    {
        var county = County.Today()
            .Confirmed(49, daysAgo: 3)
            .Confirmed(1, daysAgo: 2, cluster: "factory")
            .Confirmed(1, daysAgo: olderMemberDaysAgo, cluster: "factory");

        county.Indicators().ClustersLast14Days.ShouldBe(0);
        county.EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void No_cluster_when_recent_cases_have_different_cluster_ids()
    {
        County.Today()
            .Confirmed(49, daysAgo: 3)
            .Confirmed(1, daysAgo: 2, cluster: "factory")
            .Confirmed(1, daysAgo: 2, cluster: "wedding")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void Suspected_and_asymptomatic_cases_never_count_as_confirmed()
    {
        var county = County.Today()
            .Confirmed(48, daysAgo: 3)
            .Confirmed(2, daysAgo: 1, cluster: "factory")
            .Suspected(10, daysAgo: 1)
            .Asymptomatic(10, daysAgo: 1);

        county.Indicators().ConfirmedTotal.ShouldBe(50);
        county.EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void Suspected_and_asymptomatic_cases_sharing_a_cluster_id_do_not_make_a_cluster()
    {
        County.Today()
            .Confirmed(50, daysAgo: 3)
            .Confirmed(1, daysAgo: 1, cluster: "factory")
            .Suspected(1, daysAgo: 1, cluster: "factory")
            .Asymptomatic(1, daysAgo: 1, cluster: "factory")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void Low_when_only_suspected_and_asymptomatic_cases_are_recent()
    {
        County.Today()
            .Suspected(30, daysAgo: 1, cluster: "factory")
            .Asymptomatic(30, daysAgo: 1, cluster: "factory")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void Ruled_out_cases_count_nowhere()
    {
        var county = County.Today()
            .Confirmed(50, daysAgo: 3)
            .Confirmed(1, daysAgo: 1, cluster: "factory")
            .Confirmed(1, daysAgo: 1, cluster: "factory", status: CaseStatus.RuledOut);

        county.Indicators().ConfirmedTotal.ShouldBe(51);
        county.Indicators().ClustersLast14Days.ShouldBe(0);
        county.EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void Low_when_the_only_recent_confirmation_was_ruled_out()
    {
        County.Today()
            .Confirmed(5, daysAgo: 20)
            .Confirmed(1, daysAgo: 0, status: CaseStatus.RuledOut)
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void Cases_reported_after_now_are_ignored()
    {
        County.Today()
            .Confirmed(49, daysAgo: 3)
            .Confirmed(1, daysAgo: 0, cluster: "factory")
            .ConfirmedAfterNow(5, TimeSpan.FromMinutes(1), cluster: "factory")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Medium);
    }

    [Fact]
    public void Low_when_every_case_is_reported_after_now()
    {
        County.Today().ConfirmedAfterNow(60, TimeSpan.FromHours(1), cluster: "factory")
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void Recovered_and_dead_cases_still_count_as_confirmed()
    {
        County.Today()
            .Confirmed(30, daysAgo: 10, status: CaseStatus.Recovered)
            .Confirmed(19, daysAgo: 10, status: CaseStatus.Died)
            .Confirmed(2, daysAgo: 4, cluster: "factory", status: CaseStatus.Hospitalised)
            .EvaluatedBy(Rules).Level.ShouldBe(RiskLevel.High);
    }

    [Fact]
    public void High_decision_names_both_conditions_and_its_inputs()
    {
        var decision = County.Today()
            .Confirmed(49, daysAgo: 5)
            .Confirmed(2, daysAgo: 1, cluster: "family-1")
            .EvaluatedBy(Rules);

        decision.RuleSet.ShouldBe("national-3");
        decision.RuleVersion.ShouldBe(Rules.Version);
        decision.Reasons.Count.ShouldBe(2);
        decision.Reasons.ShouldContain(r => r.Contains("51 confirmed"));
        decision.Reasons.ShouldContain(r => r.Contains("1 cluster"));
        decision.Inputs["confirmedTotal"].ShouldBe(51);
        decision.Inputs["newLast14Days"].ShouldBe(51);
        decision.Inputs["clustersLast14Days"].ShouldBe(1);
    }

    [Fact]
    public void Medium_decision_says_why_it_is_not_high()
    {
        var decision = County.Today().Confirmed(60, daysAgo: 2).EvaluatedBy(Rules);

        decision.Reasons.ShouldContain(r => r.Contains("no cluster within 14 days"));
        decision.Reasons.ShouldContain(r => r.Contains("60 new confirmed"));
    }
}
