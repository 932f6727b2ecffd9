using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Api;

public sealed class CasesApiTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task Reporting_the_same_case_again_returns_the_original_result_and_adds_nothing()
    {
        const string cell = "330102-001-001";
        await app.RegisterCell(cell);
        using var ingest = app.As("ingest");
        var at = EpiGridApp.Start.AddHours(-3);

        var first = await app.ReportCase(ingest, cell, "dup-1", occurredAt: at);
        var events = await app.Database.CellEventCount();
        var again = await app.ReportCase(ingest, cell, "dup-1", occurredAt: at);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (a, b) = (await first.Body(), await again.Body());
        b["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        b["version"]!.GetValue<long>().ShouldBe(a["version"]!.GetValue<long>());
        (await app.Database.CellEventCount()).ShouldBe(events);
    }

    [Fact]
    public async Task The_same_case_id_with_different_details_or_in_another_cell_is_a_conflict()
    {
        await app.RegisterCell("330102-002-001");
        await app.RegisterCell("330102-002-002");
        using var ingest = app.As("ingest");
        (await app.ReportCase(ingest, "330102-002-001", "clash-1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var events = await app.Database.CellEventCount();

        (await app.ReportCase(ingest, "330102-002-001", "clash-1", kind: "suspected")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.ReportCase(ingest, "330102-002-002", "clash-1")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.Database.CellEventCount()).ShouldBe(events);
        using var auditor = app.As("auditor");
        var other = await auditor.GetFromJsonAsync<JsonObject>("/api/v1/cells/330102-002-002");
        other!["cases"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_status_change_is_recorded_and_a_ruled_out_case_leaves_the_county_totals()
    {
        const string cell = "330103-001-001";
        await app.RegisterCell(cell);
        using var ingest = app.As("ingest");
        await app.ReportCase(ingest, cell, "st-1", occurredAt: EpiGridApp.Start.AddDays(-2));
        await app.ReportCase(ingest, cell, "st-2", occurredAt: EpiGridApp.Start.AddDays(-2));

        var recovered = await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/cases/st-1/status",
            new { status = "recovered", occurredAt = EpiGridApp.Start.AddHours(-1).ToString("O") });
        var ruledOut = await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/cases/st-2/status",
            new { status = "ruled-out", occurredAt = EpiGridApp.Start.AddHours(-1).ToString("O") });
        var unknown = await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/cases/nope/status",
            new { status = "recovered", occurredAt = EpiGridApp.Start.AddHours(-1).ToString("O") });

        recovered.StatusCode.ShouldBe(HttpStatusCode.OK);
        ruledOut.StatusCode.ShouldBe(HttpStatusCode.OK);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await Eventually.True(async () =>
        {
            var county = await app.County("330103");
            return county.Int("confirmedTotal") == 1 && county.Int("recovered") == 1;
        }, TimeSpan.FromSeconds(10));
        using var auditor = app.As("auditor");
        var cellView = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{cell}"))!;
        cellView["cases"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()).Order().ShouldBe(["recovered", "ruled-out"]);
    }

    [Fact]
    public async Task A_traveller_is_held_by_the_cell_and_counted_by_the_county()
    {
        const string cell = "330104-001-001";
        await app.RegisterCell(cell);
        using var worker = app.As("grid-worker", cells: cell);
        var response = await worker.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
        {
            travellerId = "t-1", originArea = "武汉 Wuhan", originRisk = "high", arrivedAt = EpiGridApp.Start.AddHours(-5).ToString("O"),
            mode = "rail", quarantine = "home",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var view = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{cell}"))!;
        view["travellers"]!.AsArray().Single()!["originRisk"]!.GetValue<string>().ShouldBe("high");
        await Eventually.True(async () => (await app.County("330104")).Int("travellers") == 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Reports_to_an_unregistered_cell_are_not_found()
    {
        using var ingest = app.As("ingest");
        var events = await app.Database.CellEventCount();
        var response = await app.ReportCase(ingest, "330105-999-999", "ghost-1");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await app.Database.CellEventCount()).ShouldBe(events);
    }
}
