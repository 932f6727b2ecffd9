using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.People;

public sealed class TimelineApp : EpiGridApp;

/// <summary>
/// The colour history a county's spatial screening holds (issue 16), against which stays are screened: a colour change
/// recorded because a new rule version took effect, the colour staying the same (zhejiang-5 on 12 February 2020), is not a
/// new spell. Split in two, the second half was a "fresh" risky spell: every visitor of the county was told again, and a
/// stay across both halves was noted twice.
/// </summary>
public sealed class PlaceScreeningTimelineTests(TimelineApp app) : IClassFixture<TimelineApp>
{
    [Fact]
    public async Task A_new_rule_version_that_keeps_the_colour_continues_the_spell_instead_of_starting_another()
    {
        const string county = "330521"; // Deqing: no cell of it is registered in this app, so no case moves its colour
        var now = app.Clock.GetUtcNow();
        var (redAt, sameRedAt, blueAt) = (now.AddMinutes(10), now.AddMinutes(20), now.AddMinutes(30)); // after the green it woke with
        CountyColourChanged Change(string? from, string colour, RiskLevel level, string version, DateTimeOffset at) =>
            new(county, "zhejiang-5", version, from is null ? null : RiskLevel.Low, from, level, colour, ["test"], new Dictionary<string, double>(),
                new EventMeta("test", "rules", at, at));
        var store = app.Silo.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(StreamKeys.County(county),
                Change("green", "red", RiskLevel.High, "2020-02-09.1+t", redAt),
                Change("red", "red", RiskLevel.High, "2020-02-12.2+t", sameRedAt),
                Change("red", "blue", RiskLevel.FairlyLow, "2020-02-12.2+t", blueAt));
            await session.SaveChangesAsync();
        }

        // The county recorded its first colour (green) when it woke; the test's changes follow it.
        var timeline = (await app.Silo.Grains.GetGrain<IPlaceScreeningGrain>(county).Timeline()).Where(s => s.Since >= redAt).ToList();

        timeline.Select(s => s.Colour).ShouldBe(["red", "blue"], "one red spell, then blue");
        timeline[0].Since.ShouldBe(redAt);
        timeline[0].Until.ShouldBe(blueAt, "red from its first recording until it turned blue");
        timeline[0].RuleVersion.ShouldBe("2020-02-09.1+t", "the version that first judged it red");
        timeline[1].Since.ShouldBe(blueAt);
        timeline[1].Until.ShouldBeNull();
    }
}
