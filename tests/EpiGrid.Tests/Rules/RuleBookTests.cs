using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using EpiGrid.Counties.Rules;
using Shouldly;
using Xunit;

namespace EpiGrid.Tests.Rules;

/// <summary>The rule sets evaluated side by side, configured from section "Rules".</summary>
public class RuleBookTests
{
    [Fact]
    public void Zhejiang_5_is_the_default_rule_set()
    {
        new RuleOptions().DefaultRuleSet.ShouldBe("zhejiang-5");
        new RuleBook(new RuleOptions()).Default.Name.ShouldBe("zhejiang-5");
    }

    [Theory]
    [InlineData("national-3")]
    [InlineData("harvard-4")]
    [InlineData("zhejiang-5")]
    public void Any_known_rule_set_can_be_the_default(string name)
    {
        new RuleBook(new RuleOptions { DefaultRuleSet = name }).Default.Name.ShouldBe(name);
    }

    [Fact]
    public void An_unknown_default_fails_at_start_up_naming_it_and_the_known_rule_sets()
    {
        var error = Should.Throw<ArgumentException>(() => new RuleBook(new RuleOptions { DefaultRuleSet = "wuhan-7" }));

        error.Message.ShouldContain("'wuhan-7'");
        error.Message.ShouldContain("zhejiang-5");
        error.Message.ShouldContain("national-3");
        error.Message.ShouldContain("harvard-4");
    }

    [Fact]
    public void EvaluateAll_returns_the_decision_of_all_three_rule_sets()
    {
        var book = new RuleBook(new RuleOptions());
        var decisions = book.EvaluateAll(County.Today().Confirmed(3).Indicators(), new DateOnly(2020, 2, 20));

        decisions.Keys.Order().ShouldBe(["harvard-4", "national-3", "zhejiang-5"]);
        decisions.ShouldAllBe(d => d.Value.RuleSet == d.Key);
    }

    [Fact]
    public void Find_returns_a_rule_set_by_name_or_null()
    {
        var book = new RuleBook(new RuleOptions());

        book.Find("national-3")!.Latest.ShouldBeOfType<National3RuleSet>();
        book.Find("nope").ShouldBeNull();
    }

    [Fact]
    public void Zhejiang_5_is_built_with_the_configured_parameters()
    {
        var parameters = new Zhejiang5Parameters { RedFrom = 70 };
        var book = new RuleBook(new RuleOptions { Zhejiang5 = parameters });

        book.Find("zhejiang-5")!.Latest.ShouldBeOfType<Zhejiang5RuleSet>().Parameters.ShouldBe(parameters);
        book.Default.Latest.Version.ShouldBe(new Zhejiang5RuleSet(parameters).Version);
        book.Default.Latest.Version.ShouldNotBe(new Zhejiang5RuleSet().Version);
        // The 9 February version keeps its own parameters.
        book.Default.Versions[0].Rule.ShouldBeOfType<Zhejiang5RuleSet>().Parameters.ShouldBe(Zhejiang5Parameters.February9);
    }

    [Fact]
    public void Rule_set_names_are_unique()
    {
        new RuleBook(new RuleOptions()).RuleSets.Select(r => r.Name).ShouldBeUnique();
    }

    [Theory]
    [InlineData("2020-01-20", "2020-02-09.1")] // before the map existed: its first version
    [InlineData("2020-02-09", "2020-02-09.1")]
    [InlineData("2020-02-11", "2020-02-09.1")]
    [InlineData("2020-02-12", "2020-02-12.2")]
    [InlineData("2020-03-01", "2020-02-12.2")]
    public void Zhejiang_5_is_judged_by_the_version_in_force_on_the_day(string day, string version)
    {
        var book = new RuleBook(new RuleOptions());
        var decisions = book.EvaluateAll(County.Today().Confirmed(3).Indicators(), DateOnly.Parse(day));

        decisions["zhejiang-5"].RuleVersion.Split('+')[0].ShouldBe(version);
        book.Default.InForce(DateOnly.Parse(day)).Version.ShouldBe(decisions["zhejiang-5"].RuleVersion);
    }

    [Fact]
    public void The_versions_are_listed_oldest_first_with_the_day_each_took_effect()
    {
        var zhejiang = new RuleBook(new RuleOptions()).Default;

        zhejiang.Versions.Select(v => (v.EffectiveFrom, v.Rule.Version.Split('+')[0]))
            .ShouldBe([(new DateOnly(2020, 2, 9), "2020-02-09.1"), (new DateOnly(2020, 2, 12), "2020-02-12.2")]);
        zhejiang.Find("2020-02-09.1").ShouldBeSameAs(zhejiang.Versions[0].Rule);
        zhejiang.Find(zhejiang.Versions[1].Rule.Version).ShouldBeSameAs(zhejiang.Versions[1].Rule);
        zhejiang.Find("2020-02-10.1").ShouldBeNull();
    }

    [Fact]
    public void A_week_without_a_new_case_is_green_from_12_February_but_not_before()
    {
        var book = new RuleBook(new RuleOptions());
        var quietWeek = County.Today().Confirmed(2, daysAgo: 7).Indicators();
        var quietMonth = County.Today().Confirmed(2, daysAgo: 30).Indicators();

        book.EvaluateAll(quietWeek, new DateOnly(2020, 2, 11))["zhejiang-5"].Colour.ShouldBe("blue");
        book.EvaluateAll(quietMonth, new DateOnly(2020, 2, 11))["zhejiang-5"].Colour.ShouldBe("blue");
        book.EvaluateAll(quietWeek, new DateOnly(2020, 2, 12))["zhejiang-5"].Colour.ShouldBe("green");
        book.EvaluateAll(County.Today().Confirmed(2, daysAgo: 6).Indicators(), new DateOnly(2020, 2, 12))["zhejiang-5"].Colour.ShouldBe("blue");
    }

    [Fact]
    public void Two_versions_may_not_take_effect_on_the_same_day()
    {
        var day = new DateOnly(2020, 2, 9);
        Should.Throw<ArgumentException>(() => new RuleSetVersions([new RuleVersion(day, new Zhejiang5RuleSet()), new RuleVersion(day, new Zhejiang5RuleSet())]));
        Should.Throw<ArgumentException>(() => new RuleSetVersions([new RuleVersion(day, new Zhejiang5RuleSet()), new RuleVersion(day.AddDays(1), new National3RuleSet())]));
    }

    [Fact]
    public void Configured_parameters_leave_the_shipped_defaults_as_they_are()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Zhejiang5:RedFrom"] = "70", ["Rules:Zhejiang5February9:RedFrom"] = "90",
        }).Build();

        var options = configuration.GetSection(RuleOptions.Section).Get<RuleOptions>()!;

        options.Zhejiang5.RedFrom.ShouldBe(70);
        options.Zhejiang5February9.RedFrom.ShouldBe(90);
        Zhejiang5Parameters.February12.RedFrom.ShouldBe(60);
        Zhejiang5Parameters.February9.RedFrom.ShouldBe(80);
        new Zhejiang5RuleSet().Parameters.RedFrom.ShouldBe(60);
    }
}
