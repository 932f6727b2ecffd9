using System;
using System.Linq;
using EpiGrid.Rules;
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
        var decisions = book.EvaluateAll(County.Today().Confirmed(3).Indicators());

        decisions.Keys.Order().ShouldBe(["harvard-4", "national-3", "zhejiang-5"]);
        decisions.ShouldAllBe(d => d.Value.RuleSet == d.Key);
    }

    [Fact]
    public void Find_returns_a_rule_set_by_name_or_null()
    {
        var book = new RuleBook(new RuleOptions());

        book.Find("national-3").ShouldBeOfType<National3RuleSet>();
        book.Find("nope").ShouldBeNull();
    }

    [Fact]
    public void Zhejiang_5_is_built_with_the_configured_parameters()
    {
        var parameters = new Zhejiang5Parameters { RedFrom = 70 };
        var book = new RuleBook(new RuleOptions { Zhejiang5 = parameters });

        book.Find("zhejiang-5").ShouldBeOfType<Zhejiang5RuleSet>().Parameters.ShouldBe(parameters);
        book.Default.Version.ShouldBe(new Zhejiang5RuleSet(parameters).Version);
        book.Default.Version.ShouldNotBe(new Zhejiang5RuleSet().Version);
    }

    [Fact]
    public void Rule_set_names_are_unique()
    {
        new RuleBook(new RuleOptions()).RuleSets.Select(r => r.Name).ShouldBeUnique();
    }
}
