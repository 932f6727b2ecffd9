using EpiGrid.Cells;
using EpiGrid.People;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EpiGrid.Tests.People;

public sealed class HealthCodeRulesTests
{
    static readonly TimeSpan Zhejiang = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Arrival = new(2020, 2, 3, 15, 0, 0, Zhejiang);
    static readonly Exposure FromWuhan = new(Arrival, ExposureKind.ArrivalFromHighRisk, "武汉");
    static readonly Exposure FromWenzhou = new(Arrival, ExposureKind.ArrivalFromMediumRisk, "温州");

    /// <summary>Check-ins at 20:00, after the 15:00 arrival on day 0: one before the arrival would not count.</summary>
    static CheckIn Normal(int day) => new(At(day, 20), 36.5m, []);
    static CheckIn Fever(int day) => new(At(day, 20), 38.1m, ["cough"]);
    static DateTimeOffset At(int day, int hour) => new(Arrival.Date.AddDays(day).AddHours(hour), Zhejiang);
    static DateTimeOffset Evening(int day) => At(day, 21);

    static HealthCode Code(Exposure exposure, IEnumerable<CheckIn> checkIns, int onDay) =>
        HealthCodeRules.Evaluate([exposure], checkIns.ToList(), Evening(onDay), Zhejiang);

    [Fact]
    public void A_traveller_from_a_high_risk_area_is_red_for_14_days_and_green_after_14_consecutive_normal_check_ins()
    {
        var first = Code(FromWuhan, [], 0);
        first.Colour.ShouldBe("red");
        first.RequiredDays.ShouldBe(14);
        first.ValidUntil.ShouldBe(new DateTimeOffset(Arrival.Date.AddDays(14), Zhejiang), "green at the earliest after day 13");

        Code(FromWuhan, Enumerable.Range(0, 13).Select(Normal), 12).Colour.ShouldBe("red");
        var after14 = Code(FromWuhan, Enumerable.Range(0, 14).Select(Normal), 13);
        after14.Colour.ShouldBe("green");
        after14.Reason.ShouldContain("14 consecutive");
    }

    [Fact]
    public void A_missed_day_breaks_the_run_and_the_code_stays_red()
    {
        var withGap = Enumerable.Range(0, 15).Where(d => d != 6).Select(Normal);
        var code = Code(FromWuhan, withGap, 14);
        code.Colour.ShouldBe("red");
        code.NormalDaysInARow.ShouldBe(8, "days 7 to 14 after the gap");

        Code(FromWuhan, Enumerable.Range(0, 6).Select(Normal), 7).NormalDaysInARow.ShouldBe(0, "day 6 and 7 passed without a check-in");
        Code(FromWuhan, Enumerable.Range(0, 21).Where(d => d != 6).Select(Normal), 20).Colour.ShouldBe("green", "14 in a row from day 7");
    }

    [Fact]
    public void A_traveller_from_a_medium_risk_area_is_yellow_and_green_after_7()
    {
        Code(FromWenzhou, Enumerable.Range(0, 6).Select(Normal), 5).Colour.ShouldBe("yellow");
        Code(FromWenzhou, Enumerable.Range(0, 7).Select(Normal), 6).Colour.ShouldBe("green");
    }

    [Fact]
    public void Symptoms_at_a_check_in_make_the_code_red_and_start_14_days_again()
    {
        var checkIns = Enumerable.Range(0, 5).Select(Normal).Append(Fever(5)).Concat(Enumerable.Range(6, 13).Select(Normal));
        var code = Code(FromWenzhou, checkIns, 18);
        code.Colour.ShouldBe("red");
        code.Reason.ShouldContain("38.1");
        Code(FromWenzhou, checkIns.Append(Normal(19)), 19).Colour.ShouldBe("green", "days 6 to 19: 14 normal days after the fever");
    }

    [Fact]
    public void A_late_check_in_counts_for_the_day_it_was_made_on()
    {
        var checkIns = Enumerable.Range(0, 14).Select(Normal).ToList();
        var sentLate = checkIns.OrderByDescending(c => c.At).ToList();
        Code(FromWuhan, sentLate, 13).Colour.ShouldBe("green");
    }

    [Fact]
    public void A_lesser_exposure_never_lowers_a_red_code()
    {
        var code = HealthCodeRules.Evaluate([FromWuhan, FromWenzhou with { At = Arrival.AddDays(2) }],
            Enumerable.Range(0, 9).Select(Normal).ToList(), Evening(8), Zhejiang);
        code.Colour.ShouldBe("red");
        code.RequiredDays.ShouldBe(14);
    }

    [Property(MaxTest = 300)]
    public Property Red_until_exactly_14_normal_days_in_a_row_whatever_the_hour()
    {
        var cases = from days in Gen.Choose(0, 20) from hour in Gen.Choose(0, 23) select (days, hour);
        return Prop.ForAll(cases.ToArbitrary(), x =>
        {
            // From the day after arrival: the first check-in may come then without breaking anything.
            var checkIns = Enumerable.Range(1, x.days).Select(d => new CheckIn(At(d, x.hour), 36.6m, [])).ToList();
            var code = HealthCodeRules.Evaluate([FromWuhan], checkIns, At(x.days + 1, 0).AddMinutes(-1), Zhejiang);
            return code.Colour == (x.days >= 14 ? "green" : "red");
        });
    }

    [Fact]
    public void A_check_in_before_the_arrival_does_not_count()
    {
        var beforeArrival = new CheckIn(At(0, 9), 36.5m, []);
        Code(FromWuhan, Enumerable.Range(1, 13).Select(Normal).Prepend(beforeArrival), 13).Colour.ShouldBe("red");
    }

    [Fact]
    public void Nobody_exposed_is_green()
    {
        var code = HealthCodeRules.Evaluate([], [], Evening(0), Zhejiang);
        code.Colour.ShouldBe("green");
        code.RuleVersion.ShouldBe(HealthCodeRules.Version);
    }

    // The person's own cases (issue 16).
    static PersonCase Case(CaseStatus status, int statusDay, CaseKind kind = CaseKind.Confirmed) =>
        new("c-1", "330106-001-001", kind, status, At(0, 16), status == CaseStatus.Active ? At(0, 16) : At(statusDay, 10));

    [Theory]
    [InlineData(CaseKind.Confirmed, "Confirmed case c-1")]
    [InlineData(CaseKind.Suspected, "Suspected case c-1")]
    [InlineData(CaseKind.Asymptomatic, "Asymptomatic infection c-1")]
    public void An_open_case_is_red_whatever_the_check_ins_and_is_judged_again_each_day(CaseKind kind, string reason)
    {
        var code = HealthCodeRules.Evaluate([], Enumerable.Range(1, 20).Select(Normal).ToList(), Evening(20), Zhejiang, [Case(CaseStatus.Hospitalised, 2, kind)]);
        code.Colour.ShouldBe("red");
        code.Reason.ShouldContain(reason);
        code.ValidUntil.ShouldBe(new DateTimeOffset(Arrival.Date.AddDays(21), Zhejiang), "valid until the next local midnight");
    }

    [Fact]
    public void A_case_ruled_out_leaves_the_code_to_the_other_facts()
    {
        HealthCodeRules.Evaluate([], [], Evening(1), Zhejiang, [Case(CaseStatus.RuledOut, 1)]).Colour.ShouldBe("green");
        var traveller = HealthCodeRules.Evaluate([FromWenzhou], [], Evening(1), Zhejiang, [Case(CaseStatus.RuledOut, 1)]);
        (traveller.Colour, traveller.RequiredDays).ShouldBe(("yellow", 7), "the medium-risk arrival still counts");
    }

    [Fact]
    public void A_recovered_case_is_observed_14_days_after_discharge_and_green_after_14_normal_check_ins()
    {
        var discharged = Case(CaseStatus.Recovered, 5);
        var onDischarge = HealthCodeRules.Evaluate([], [], Evening(5), Zhejiang, [discharged]);
        (onDischarge.Colour, onDischarge.RequiredDays).ShouldBe(("red", HealthCodeRules.PostDischargeDays));
        onDischarge.Reason.ShouldContain("Post-discharge observation");
        HealthCodeRules.Evaluate([], Enumerable.Range(5, 13).Select(Normal).ToList(), Evening(17), Zhejiang, [discharged]).Colour.ShouldBe("red");
        HealthCodeRules.Evaluate([], Enumerable.Range(5, 14).Select(Normal).ToList(), Evening(18), Zhejiang, [discharged]).Colour.ShouldBe("green");
    }

    [Fact]
    public void A_case_not_yet_reported_at_the_moment_judged_does_not_count()
    {
        HealthCodeRules.Evaluate([], [], At(0, 15), Zhejiang, [Case(CaseStatus.Active, 0)]).Colour.ShouldBe("green", "reported at 16:00");
        HealthCodeRules.Evaluate([], [], At(0, 17), Zhejiang, [Case(CaseStatus.Active, 0)]).Colour.ShouldBe("red");
    }
}
