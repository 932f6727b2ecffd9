using EpiGrid.Alerts;
using EpiGrid.Resumption;

namespace EpiGrid.Tests.Resumption;

public sealed class ResumptionLagRuleTests
{
    static readonly ResumptionOptions Options = new() { LagMargin = 10, LagDays = 3 };
    static readonly DateOnly Day1 = new(2020, 2, 17);
    static readonly DateTimeOffset Now = new(2020, 2, 20, 10, 0, 0, TimeSpan.FromHours(8));

    static Dictionary<DateOnly, ResumptionFigures> Days(params double?[] indices) =>
        indices.Select((index, i) => (index, day: Day1.AddDays(i))).Where(x => x.index is not null)
            .ToDictionary(x => x.day, x => new ResumptionFigures(x.day, 10, 5, 0, 0, x.index!.Value, "v"));

    [Fact]
    public void Lagging_more_than_the_margin_for_three_days_alerts_the_county_officials_once_per_day()
    {
        var alert = ResumptionLagRule.Evaluate("330782", Day1.AddDays(2), Days(30, 35, 39.99), Days(45, 46, 50), Options, Now);

        alert.ShouldNotBeNull();
        alert.Id.ShouldBe("resumption-lag:330782:2020-02-19");
        alert.Kind.ShouldBe("resumption-lag");
        alert.Audience.ShouldBe([AlertGroups.CountyOfficials("330782")]);
        alert.Subject["provinceIndex"].ShouldBe("50.00");
    }

    [Fact]
    public void Two_lagging_days_a_gap_or_a_lag_of_exactly_the_margin_do_not_alert()
    {
        ResumptionLagRule.Evaluate("330782", Day1.AddDays(2), Days(50, 35, 35), Days(50, 50, 50), Options, Now).ShouldBeNull();
        ResumptionLagRule.Evaluate("330782", Day1.AddDays(2), Days(30, null, 30), Days(50, 50, 50), Options, Now).ShouldBeNull();
        ResumptionLagRule.Evaluate("330782", Day1.AddDays(2), Days(40, 40, 40), Days(50, 50, 50), Options, Now).ShouldBeNull();
    }
}
