using System;
using System.Collections.Generic;
using System.Linq;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Shouldly;
using Xunit;

namespace EpiGrid.Tests.Rules;

/// <summary>What holds for every rule set and any set of cases.</summary>
[Properties(Arbitrary = [typeof(CaseGenerators)])]
public class RuleSetPropertyTests
{
    static readonly RuleBook Book = new(new RuleOptions());
    /// <summary>Every version of every rule set: what holds for a rule set holds for each of its versions.</summary>
    static readonly IReadOnlyList<IColourRuleSet> EveryVersion = Book.RuleSets.SelectMany(r => r.Versions.Select(v => v.Rule)).ToList();

    static readonly Dictionary<string, Dictionary<RiskLevel, string>> Palettes = new()
    {
        ["national-3"] = new() { [RiskLevel.Low] = "green", [RiskLevel.Medium] = "yellow", [RiskLevel.High] = "red" },
        ["harvard-4"] = new()
        {
            [RiskLevel.Low] = "green", [RiskLevel.Medium] = "yellow", [RiskLevel.FairlyHigh] = "orange", [RiskLevel.High] = "red",
        },
        ["zhejiang-5"] = new()
        {
            [RiskLevel.Low] = "green", [RiskLevel.FairlyLow] = "blue", [RiskLevel.Medium] = "yellow",
            [RiskLevel.FairlyHigh] = "orange", [RiskLevel.High] = "red",
        },
    };

    [Property]
    public void Every_version_of_every_rule_set_answers_with_a_colour_of_its_own_palette_and_says_why(RandomCounty county)
    {
        foreach (var rules in EveryVersion)
        {
            var decision = rules.Evaluate(county.Indicators);

            decision.RuleSet.ShouldBe(rules.Name);
            decision.RuleVersion.ShouldBe(rules.Version);
            Palettes[rules.Name].ShouldContainKey(decision.Level);
            decision.Colour.ShouldBe(Palettes[rules.Name][decision.Level]);
            decision.Reasons.ShouldNotBeEmpty();
            decision.Reasons.ShouldAllBe(r => !string.IsNullOrWhiteSpace(r));
            decision.Inputs.ShouldNotBeEmpty();
        }
    }

    [Property]
    public void Evaluation_is_deterministic_and_ignores_the_order_of_cases(RandomCounty county, int seed)
    {
        var random = new Random(seed);
        var shuffled = county.Snapshot with { Cases = county.Snapshot.Cases.OrderBy(_ => random.Next()).ToArray() };
        CountyIndicators.Compute(shuffled).ShouldBe(county.Indicators);

        foreach (var rules in EveryVersion)
        {
            var first = rules.Evaluate(county.Indicators);
            var again = rules.Evaluate(CountyIndicators.Compute(shuffled));

            again.SameOutcomeAs(first).ShouldBeTrue();
            again.Reasons.ShouldBe(first.Reasons);
            again.Inputs.ShouldBe(first.Inputs);
        }
    }

    [Property]
    public void Confirmed_total_counts_confirmed_cases_that_are_not_ruled_out_and_not_in_the_future(RandomCounty county)
    {
        var s = county.Snapshot;
        var expected = s.Cases.Count(c => c.Kind == CaseKind.Confirmed && c.Status != CaseStatus.RuledOut && c.OccurredAt <= s.Now);

        county.Indicators.ConfirmedTotal.ShouldBe(expected);
    }

    [Property]
    public void National_3_never_says_high_with_50_or_fewer_confirmed_cases(RandomCounty county)
    {
        var indicators = county.Indicators;
        var decision = new National3RuleSet().Evaluate(indicators);

        if (indicators.ConfirmedTotal <= National3RuleSet.HighCaseThreshold)
            decision.Level.ShouldNotBe(RiskLevel.High);
    }

    /// <summary>The 50/51 boundary itself, drawn around it: high exactly when more than 50 and a recent cluster.</summary>
    [Property]
    public Property National_3_turns_high_exactly_past_50_confirmed_cases_with_a_recent_cluster()
    {
        var around = from total in Gen.Choose(46, 55)
                     from clusters in Gen.Elements(0, 1, 2)
                     from recent in Gen.Elements(0, 1, 30)
                     select (Total: total, Clusters: clusters, Recent: recent);
        return Prop.ForAll(around.ToArbitrary(), x =>
        {
            var level = new National3RuleSet().Evaluate(new CountyIndicators
            {
                ConfirmedTotal = x.Total, NewLast14Days = x.Recent, ClustersLast14Days = x.Recent == 0 ? 0 : x.Clusters,
                DaysSinceLastNewCase = x.Recent == 0 ? 20 : 0,
            }).Level;
            level.ShouldBe(x.Recent == 0 ? RiskLevel.Low : x.Total > 50 && x.Clusters > 0 ? RiskLevel.High : RiskLevel.Medium);
        });
    }

    [Property]
    public void National_3_matches_the_rule_text_read_directly_off_the_cases(RandomCounty county)
    {
        new National3RuleSet().Evaluate(county.Indicators).Level.ShouldBe(NationalRuleText(county.Snapshot));
    }

    [Property]
    public void As_days_pass_without_new_cases_no_colour_gets_worse(PastOnlyCounty county, byte daysLater, int minutesLater)
    {
        var now = county.Snapshot;
        var later = now with { Now = now.Now.AddDays(daysLater % 20).AddMinutes(Math.Abs(minutesLater % 1440)) };

        foreach (var rules in EveryVersion)
            ((int)rules.Evaluate(CountyIndicators.Compute(later)).Level)
                .ShouldBeLessThanOrEqualTo((int)rules.Evaluate(CountyIndicators.Compute(now)).Level, rules.Name);
    }

    /// <summary>The 17 February 2020 text, applied to raw cases without <see cref="CountyIndicators"/>.</summary>
    static RiskLevel NationalRuleText(CountySnapshot s)
    {
        DateOnly LocalDay(DateTimeOffset t) => DateOnly.FromDateTime(t.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var confirmed = s.Cases.Where(c => c.Kind == CaseKind.Confirmed && c.Status != CaseStatus.RuledOut && c.OccurredAt <= s.Now)
            .ToList();
        var today = LocalDay(s.Now);
        var recent = confirmed.Where(c => LocalDay(c.OccurredAt).AddDays(13) >= today).ToList();
        var clusterWithin14Days = recent.Where(c => !string.IsNullOrEmpty(c.ClusterId))
            .GroupBy(c => c.ClusterId).Any(g => g.Count() >= 2);

        if (confirmed.Count == 0 || recent.Count == 0) return RiskLevel.Low;
        return confirmed.Count > 50 && clusterWithin14Days ? RiskLevel.High : RiskLevel.Medium;
    }
}

/// <summary>A random county with no case reported after now, so that moving the clock on adds no case.</summary>
public sealed record PastOnlyCounty(CountySnapshot Snapshot)
{
    public override string ToString() => new RandomCounty(Snapshot).ToString();
}
