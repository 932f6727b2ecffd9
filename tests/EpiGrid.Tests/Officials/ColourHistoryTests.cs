using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Officials;

/// <summary>The map's history (issue 17): each county's colour at the end of each day, from the events, beside what was published.</summary>
public sealed class ColourHistoryTests(LineListApp app) : IClassFixture<LineListApp>
{
    const string Nanhu = "330402", Cell = "330402-501-001";

    [Fact]
    public async Task The_history_matches_the_live_map_today_counts_every_county_each_day_and_shows_the_published_counts()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        for (var i = 0; i < 3; i++)
            (await app.ReportCase(ingest, Cell, $"nh-{i}", clusterId: "nh-cluster", occurredAt: app.Clock.GetUtcNow().AddMinutes(-10 * i)))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        string live = "green";
        await Eventually.True(async () => (live = (await app.County(Nanhu)).ColourUnder("zhejiang-5")) != "green", TimeSpan.FromSeconds(10), "Nanhu coloured");

        using var official = app.As(Roles.CountyOfficial, "330106");
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var response = await official.GetAsync($"/api/v1/province/colour-history?from={today.AddDays(-2):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var history = await response.Body();
        history["ruleSet"]!.GetValue<string>().ShouldBe("zhejiang-5");
        var days = history["days"]!.AsArray();
        days.Count.ShouldBe(3);
        days.ShouldAllBe(d => d!["counts"]!.AsObject().Sum(c => c.Value!.GetValue<int>()) == 90);
        var nanhu = history["counties"]!.AsArray().Single(c => c!["code"]!.GetValue<string>() == Nanhu)!;
        nanhu["colours"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["green", "green", live], "green until today's cases, then as the live map");
        var counties = history["counties"]!.AsArray();
        days[2]!["counts"]![live]!.GetValue<int>().ShouldBe(counties.Count(c => c!["colours"]![2]!.GetValue<string>() == live));

        var february = await (await official.GetAsync("/api/v1/province/colour-history?from=2020-02-08&to=2020-02-10")).Body();
        var published = february["days"]!.AsArray().Select(d => d!["published"]).ToList();
        published[0].ShouldBeNull();
        published[1]!["yellow"]!.GetValue<int>().ShouldBe(12);
        published[1]!["blue"]!.GetValue<int>().ShouldBe(53);
        published[2].ShouldBeNull();

        using var worker = app.As(Roles.GridWorker, null, Cell);
        (await worker.GetAsync("/api/v1/province/colour-history")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var (query, field) in new[] { ("ruleSet=nope", "ruleSet"), ("from=2020-02-10&to=2020-02-01", "from"), ($"to={today.AddDays(1):yyyy-MM-dd}", "to"), ("from=20200201", "from") })
        {
            var bad = await official.GetAsync($"/api/v1/province/colour-history?{query}");
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            (await bad.Body())["errors"]![field].ShouldNotBeNull(query);
        }
    }
}
