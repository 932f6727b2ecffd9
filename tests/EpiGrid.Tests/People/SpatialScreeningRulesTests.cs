using EpiGrid.People;

namespace EpiGrid.Tests.People;

/// <summary>Spatial screening (EpiGrid's reading of 空间筛查) and contacts of contacts, as pure rules.</summary>
public sealed class SpatialScreeningRulesTests
{
    static readonly TimeSpan Zhejiang = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Today = new(2020, 2, 20, 10, 0, 0, Zhejiang);
    const string Yiwu = "330782";

    static Stay StayDaysAgo(int days, string? county = Yiwu) => new(county, county is null ? "武汉 Wuhan" : null, Today.AddDays(-days - 1), Today.AddDays(-days));
    static ColourSpell Spell(string colour, DateTimeOffset since, DateTimeOffset? until = null, long version = 2) =>
        new(Yiwu, colour, since, until, "zhejiang-5", "test", version);

    [Fact]
    public void A_county_that_turns_red_within_14_days_of_a_stay_counts_from_the_moment_it_turned()
    {
        var found = SpatialScreening.Screen(StayDaysAgo(3), [Spell("green", Today.AddDays(-30), Today, 1), Spell("red", Today)]).ToList();
        found.Count.ShouldBe(1);
        found[0].Spell.Colour.ShouldBe("red");
        found[0].At.ShouldBe(Today, "the person had been there, and the county is red from now");
    }

    [Fact]
    public void A_stay_that_ended_more_than_14_days_before_the_county_turned_changes_nothing()
    {
        SpatialScreening.Screen(StayDaysAgo(20), [Spell("red", Today)]).ShouldBeEmpty();
        SpatialScreening.StillScreened(StayDaysAgo(20), Today).ShouldBeFalse();
        SpatialScreening.StillScreened(StayDaysAgo(13), Today).ShouldBeTrue();
    }

    [Fact]
    public void A_county_already_red_during_the_stay_counts_from_the_stays_first_moment_and_a_spell_over_before_it_does_not()
    {
        var stay = StayDaysAgo(3);
        var found = SpatialScreening.Screen(stay, [Spell("orange", Today.AddDays(-10))]).Single();
        found.At.ShouldBe(stay.From);
        SpatialScreening.Screen(stay, [Spell("red", Today.AddDays(-10), stay.From.AddHours(-1))]).ShouldBeEmpty("red ended before the person came");
    }

    [Theory]
    [InlineData("red", ExposureKind.PlaceHighRisk)]
    [InlineData("orange", ExposureKind.PlaceHighRisk)]
    [InlineData("yellow", ExposureKind.PlaceMediumRisk)]
    public void Red_and_orange_are_high_risk_yellow_medium(string colour, ExposureKind expected) =>
        SpatialScreening.RiskOf(colour).ShouldBe(expected);

    [Fact]
    public void Blue_and_green_counties_and_areas_outside_the_province_are_not_screened()
    {
        SpatialScreening.RiskOf("blue").ShouldBeNull();
        SpatialScreening.Screen(StayDaysAgo(3), [Spell("blue", Today.AddDays(-2))]).ShouldBeEmpty();
        SpatialScreening.Screen(StayDaysAgo(3, county: null), [Spell("red", Today)]).ShouldBeEmpty();
    }

    [Fact]
    public void A_high_risk_place_makes_the_code_red_for_14_days_a_medium_one_yellow_for_7_and_a_contacts_contact_yellow_for_7()
    {
        var red = HealthCodeRules.Evaluate([new Exposure(Today, ExposureKind.PlaceHighRisk, "义乌市 Yiwu")], [], Today, Zhejiang);
        (red.Colour, red.RequiredDays).ShouldBe(("red", 14));
        red.Reason.ShouldContain("义乌市 Yiwu");
        var yellow = HealthCodeRules.Evaluate([new Exposure(Today, ExposureKind.PlaceMediumRisk, "义乌市 Yiwu")], [], Today, Zhejiang);
        (yellow.Colour, yellow.RequiredDays).ShouldBe(("yellow", 7));
        var secondary = HealthCodeRules.Evaluate([new Exposure(Today, ExposureKind.SecondaryContact, "p1")], [], Today, Zhejiang);
        (secondary.Colour, secondary.RequiredDays).ShouldBe(("yellow", 7));
        secondary.Reason.ShouldContain("EpiGrid's reading");
        // A lesser exposure never lowers a code.
        HealthCodeRules.Evaluate([new Exposure(Today.AddHours(-1), ExposureKind.PlaceHighRisk, "x"), new Exposure(Today, ExposureKind.SecondaryContact, "p1")],
            [], Today, Zhejiang).Colour.ShouldBe("red");
    }
}
