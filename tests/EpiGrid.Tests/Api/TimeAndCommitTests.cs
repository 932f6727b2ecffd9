using System.Net;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Api;

public sealed class TimePassingTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task A_county_goes_low_after_14_quiet_days_with_no_event_arriving_and_records_why()
    {
        const string county = "330781", cell = "330781-001-001";
        await app.RegisterCell(cell);
        using var ingest = app.As("ingest");
        for (var i = 0; i < 3; i++)
            (await app.ReportCase(ingest, cell, $"quiet-{i}", occurredAt: EpiGridApp.Start.AddHours(-1)))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.True(async () => (await app.County(county)).LevelUnder("national-3") == "medium", TimeSpan.FromSeconds(10));

        app.Clock.Advance(TimeSpan.FromDays(13));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        (await app.County(county)).LevelUnder("national-3").ShouldBe("medium", "day 13 is still within 14 days");

        app.Clock.Advance(TimeSpan.FromDays(1));
        await Eventually.True(async () => (await app.County(county)).LevelUnder("national-3") == "low", TimeSpan.FromSeconds(10));
        var view = await app.County(county);
        view.ColourUnder("zhejiang-5").ShouldBe("green");
        view.Int("daysSinceLastNewCase").ShouldBe(14);

        var recorded = await app.Database.Rows(
            """
            select data->>'level', data->'inputs'->>'newLast14Days', data->>'ruleVersion', jsonb_array_length(data->'reasons')
            from epigrid.mt_events
            where stream_id = 'county:330781' and type = 'county_colour_changed' and data->>'ruleSet' = 'national-3'
            order by version
            """,
            r => (Level: r.GetString(0), New14: r.GetString(1), Version: r.GetString(2), Reasons: r.GetInt32(3)));
        recorded.Select(r => r.Level.ToLowerInvariant()).ShouldBe(["low", "medium", "low"]);
        recorded[^1].New14.ShouldBe("0");
        recorded[^1].Version.ShouldNotBeNullOrEmpty();
        recorded[^1].Reasons.ShouldBeGreaterThan(0);
    }
}

public sealed class GroupCommitTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task Concurrent_reports_from_many_cells_share_commits_and_each_is_durable_when_acknowledged()
    {
        var cells = Enumerable.Range(1, 40).Select(i => $"330784-001-{i:D3}").ToList();
        foreach (var cell in cells) await app.RegisterCell(cell);
        using var ingest = app.As("ingest");

        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            app.ReportCase(ingest, cells[i % cells.Count], $"gc-{i}", local: i % 3 == 0, occurredAt: EpiGridApp.Start.AddMinutes(-i))));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        var stored = await app.Database.Scalar<long>(
            "select count(*) from epigrid.mt_events where type = 'case_reported' and data->>'county' = '330784'");
        stored.ShouldBe(400, "every acknowledged report is already committed");
        // xmin is the id of the transaction that inserted a row: one per commit.
        var commits = await app.Database.Scalar<long>(
            "select count(distinct xmin::text) from epigrid.mt_events where type = 'case_reported' and data->>'county' = '330784'");
        commits.ShouldBeLessThan(200, $"400 reports took {commits} commits: group commit should batch them");
    }
}
