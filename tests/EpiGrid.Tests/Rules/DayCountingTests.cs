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

/// <summary>
/// Days are local calendar days at UTC+8: a case confirmed on local day D is new within 14 days on D..D+13,
/// not on D+14; days since the last new case = today - D.
/// </summary>
public class DayCountingTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(6, 1, 1)]
    [InlineData(7, 0, 1)]
    [InlineData(13, 0, 1)]
    [InlineData(14, 0, 0)]
    public void A_case_confirmed_on_day_D_is_new_within_7_days_until_D_plus_6_and_within_14_days_until_D_plus_13(
        int daysAgo, int newLast7Days, int newLast14Days)
    {
        var indicators = County.Today().Confirmed(1, daysAgo: daysAgo).Indicators();

        indicators.NewLast7Days.ShouldBe(newLast7Days);
        indicators.NewLast14Days.ShouldBe(newLast14Days);
        indicators.DaysSinceLastNewCase.ShouldBe(daysAgo);
    }

    [Fact]
    public void Days_are_counted_in_local_time_not_UTC()
    {
        // 17 Feb 00:30 in Hangzhou is still 16 Feb in UTC; 3 Feb 23:59 in Hangzhou is 3 Feb 15:59 UTC.
        var now = new DateTimeOffset(2020, 2, 16, 16, 30, 0, TimeSpan.Zero);
        var lastCase = new DateTimeOffset(2020, 2, 3, 15, 59, 0, TimeSpan.Zero);

        var indicators = County.At(now).ConfirmedAt(lastCase).Indicators();

        indicators.DaysSinceLastNewCase.ShouldBe(14);
        indicators.NewLast14Days.ShouldBe(0);
    }

    [Fact]
    public void A_case_one_minute_after_local_midnight_belongs_to_the_next_local_day()
    {
        var now = new DateTimeOffset(2020, 2, 17, 0, 30, 0, County.ChinaTime);
        var lastCase = new DateTimeOffset(2020, 2, 3, 16, 1, 0, TimeSpan.Zero); // 4 Feb 00:01 in Hangzhou

        var indicators = County.At(now).ConfirmedAt(lastCase).Indicators();

        indicators.DaysSinceLastNewCase.ShouldBe(13);
        indicators.NewLast14Days.ShouldBe(1);
    }

    [Fact]
    public void Days_since_the_last_new_case_is_null_when_no_case_was_ever_confirmed()
    {
        County.Today().Suspected(3).Asymptomatic(3).Indicators().DaysSinceLastNewCase.ShouldBeNull();
    }

    [Fact]
    public void Days_since_the_last_new_case_counts_from_the_latest_confirmed_case_only()
    {
        var indicators = County.Today().Confirmed(2, daysAgo: 20).Confirmed(1, daysAgo: 9).Suspected(5, daysAgo: 1)
            .Confirmed(1, daysAgo: 2, status: CaseStatus.RuledOut).Indicators();

        indicators.DaysSinceLastNewCase.ShouldBe(9);
    }

    [Fact]
    public void A_case_at_exactly_now_counts_and_one_a_tick_later_does_not()
    {
        var county = County.Today();
        county.ConfirmedAt(county.Now).ConfirmedAt(county.Now.AddTicks(1));

        county.Indicators().ConfirmedTotal.ShouldBe(1);
    }

    [Fact]
    public void Counts_split_confirmed_cases_by_origin_and_status_and_keep_the_other_kinds_apart()
    {
        var indicators = County.Today()
            .Confirmed(3, local: true)
            .Confirmed(1, local: false, status: CaseStatus.Hospitalised)
            .Confirmed(2, local: true, status: CaseStatus.Recovered, daysAgo: 20)
            .Confirmed(1, local: false, status: CaseStatus.Died, daysAgo: 20)
            .Confirmed(4, status: CaseStatus.RuledOut)
            .Suspected(5)
            .Suspected(2, status: CaseStatus.RuledOut)
            .Asymptomatic(6)
            .Indicators();

        indicators.ConfirmedTotal.ShouldBe(7);
        indicators.LocalConfirmed.ShouldBe(5);
        indicators.ImportedConfirmed.ShouldBe(2);
        indicators.LocalShare.ShouldBe(5.0 / 7);
        indicators.Active.ShouldBe(3);
        indicators.Hospitalised.ShouldBe(1);
        indicators.Recovered.ShouldBe(2);
        indicators.Died.ShouldBe(1);
        indicators.Suspected.ShouldBe(5);
        indicators.Asymptomatic.ShouldBe(6);
        indicators.NewLast14Days.ShouldBe(4);
    }

    [Fact]
    public void Local_share_is_zero_when_nothing_is_confirmed()
    {
        County.Today().Suspected(4).Indicators().LocalShare.ShouldBe(0);
    }

    [Property(Arbitrary = [typeof(QuietDaysGenerator)])]
    public void The_14_day_window_closes_at_local_midnight_whatever_the_time_of_day_or_the_number_of_cases(
        QuietCounty county)
    {
        var indicators = CountyIndicators.Compute(county.Snapshot);
        var national = new National3RuleSet().Evaluate(indicators);
        // zhejiang-5 with the 12 February weights but green only after 14 quiet days, like the national rule.
        var zhejiang = new Zhejiang5RuleSet(new Zhejiang5Parameters { GreenAfterQuietDays = 14 }).Evaluate(indicators);
        var week = new Zhejiang5RuleSet().Evaluate(indicators);

        indicators.DaysSinceLastNewCase.ShouldBe(county.QuietDays);
        (week.Colour == "green").ShouldBe(county.QuietDays >= 7, "from 12 February a quiet week is green");
        if (county.QuietDays <= 13)
        {
            indicators.NewLast14Days.ShouldBeGreaterThan(0);
            national.Level.ShouldBe(RiskLevel.Medium);
            zhejiang.Level.ShouldNotBe(RiskLevel.Low);
        }
        else
        {
            indicators.NewLast14Days.ShouldBe(0);
            national.Level.ShouldBe(RiskLevel.Low);
            zhejiang.Level.ShouldBe(RiskLevel.Low);
            zhejiang.Colour.ShouldBe("green");
        }
    }
}

/// <summary>A county whose latest confirmed case was <see cref="QuietDays"/> local days before now; no clusters.</summary>
public sealed record QuietCounty(int QuietDays, CountySnapshot Snapshot)
{
    public override string ToString() =>
        $"QuietDays={QuietDays}, Now={Snapshot.Now:O}, cases at [{string.Join(", ", Snapshot.Cases.Select(c => c.OccurredAt.ToString("O")))}]";
}

public static class QuietDaysGenerator
{
    public static Arbitrary<QuietCounty> QuietCounties() => Arb.From(
        from quietDays in Gen.Elements(13, 14, 15)
        from nowTime in CaseGenerators.TimeOfDay
        from lastTime in CaseGenerators.TimeOfDay
        from olderCases in Gen.Choose(0, 120)
        from olderDays in Gen.ArrayOf(Gen.Choose(0, 30), olderCases)
        from olderTimes in Gen.ArrayOf(CaseGenerators.TimeOfDay, olderCases)
        from inUtc in Gen.Elements(true, false)
        select Build(quietDays, nowTime, lastTime, olderDays, olderTimes, inUtc));

    static QuietCounty Build(int quietDays, TimeSpan nowTime, TimeSpan lastTime, int[] olderDays, TimeSpan[] olderTimes, bool inUtc)
    {
        var today = new DateTime(2020, 2, 17);
        DateTimeOffset Local(DateTime day, TimeSpan time)
        {
            var local = new DateTimeOffset(day + time, County.ChinaTime);
            return inUtc ? local.ToUniversalTime() : local;
        }

        var lastDay = today.AddDays(-quietDays);
        var times = new List<DateTimeOffset> { Local(lastDay, lastTime) };
        // Older cases fall on the last case's day or before it, and never after it on that day.
        times.AddRange(olderDays.Zip(olderTimes, (d, t) => d == 0 ? Local(lastDay, t < lastTime ? t : lastTime) : Local(lastDay.AddDays(-d), t)));
        var cases = times.Select((t, n) => new CaseFact($"case-{n}", "cell-1", CaseKind.Confirmed, true, null, t, CaseStatus.Active, n))
            .ToArray();
        return new QuietCounty(quietDays, new CountySnapshot("330106", 1_000_000, cases, Local(today, nowTime), County.ChinaTime));
    }
}
