using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Officials;

/// <summary>
/// Issue 17: a county official puts a cell under control (closed, controlled) or lifts it (open). Real silo, PostgreSQL,
/// Redis and SignalR over loopback.
/// </summary>
public sealed class CellControlTests(PushApp app) : IClassFixture<PushApp>
{
    static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    static Task<HttpResponseMessage> Control(HttpClient client, string cellId, object body) =>
        client.PutAsJsonAsync($"/api/v1/cells/{cellId}/control", body);

    async Task<JsonObject> Cell(string cellId)
    {
        using var admin = app.Admin();
        return (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{cellId}"))!;
    }

    async Task<JsonObject> PublicCounty(string code)
    {
        using var anonymous = app.Anonymous();
        var map = (await anonymous.GetFromJsonAsync<JsonObject>("/api/v1/public/map"))!;
        return map["counties"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["code"]!.GetValue<string>() == code);
    }

    Task CountsBecome(string code, int closed, int controlled) => Eventually.True(async () =>
    {
        var county = await app.County(code);
        return county.Int("closedCells") == closed && county.Int("controlledCells") == controlled;
    }, TimeSpan.FromSeconds(10), $"county {code}: {closed} closed, {controlled} controlled");

    [Fact]
    public async Task An_official_closes_a_cell_its_worker_is_alerted_the_views_count_it_and_lifting_is_a_second_event()
    {
        const string county = "330782", cell = "330782-301-001", neighbour = "330782-301-002";
        await app.RegisterCell(cell);
        await app.RegisterCell(neighbour);
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        await using var neighbourWorker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: neighbour));
        using var official = app.As(Roles.CountyOfficial, county);
        var until = app.Clock.GetUtcNow().AddDays(14);

        var closing = await Control(official, cell, new { level = "closed", reason = "两例确诊 Two confirmed cases", until = until.ToString("O") });
        closing.StatusCode.ShouldBe(HttpStatusCode.OK);
        var closed = await closing.Body();
        (closed["level"]!.GetValue<string>(), closed["duplicate"]!.GetValue<bool>(), closed.Int("version")).ShouldBe(("closed", false, 2));

        var alert = await worker.WaitFor(r => r.Kind == "cell-control", TimeSpan.FromSeconds(5));
        (alert.Alert["severity"]!.GetValue<string>(), alert.Alert["cellId"]!.GetValue<string>()).ShouldBe(("high", cell));
        alert.Alert["subject"]!["level"]!.GetValue<string>().ShouldBe("closed");
        alert.Alert["message"]!.GetValue<string>().ShouldContain("Two confirmed cases");

        var control = (await Cell(cell))["control"]!;
        control["level"]!.GetValue<string>().ShouldBe("closed");
        control["reason"]!.GetValue<string>().ShouldBe("两例确诊 Two confirmed cases");
        control["since"]!.GetValue<DateTimeOffset>().ShouldBe(app.Clock.GetUtcNow());
        control["until"]!.GetValue<DateTimeOffset>().ShouldBe(until);
        control["by"]!.GetValue<string>().ShouldBe($"test-{Roles.CountyOfficial}");
        (await Cell(neighbour))["control"].ShouldBeNull();
        await CountsBecome(county, closed: 1, controlled: 0);
        await Eventually.True(async () => (await PublicCounty(county)).Int("closedCells") == 1, TimeSpan.FromSeconds(10), "the public map counts the closed cell");
        var listed = (await app.County(county))["cellsUnderControl"]!.AsArray().ShouldHaveSingleItem()!;
        (listed["cellId"]!.GetValue<string>(), listed["control"]!["level"]!.GetValue<string>()).ShouldBe((cell, "closed"));
        using (var anonymous = app.Anonymous())
            (await anonymous.GetStringAsync("/api/v1/public/map")).ShouldNotContain(cell, customMessage: "the public sees a count, never which cell");
        using (var admin = app.Admin())
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/counties"))!.Single(c => c!["code"]!.GetValue<string>() == county)!["cellsUnderControl"]
                .ShouldBeNull("the list of counties carries the counts only");

        // The same control again: nothing recorded, nobody alerted twice.
        var repeat = await (await Control(official, cell, new { level = "closed", reason = "两例确诊 Two confirmed cases", until = until.ToString("O") })).Body();
        (repeat["duplicate"]!.GetValue<bool>(), repeat.Int("version")).ShouldBe((true, 2));

        var lifting = await Control(official, cell, new { level = "open", reason = "14 days without a new case" });
        lifting.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lifting.Body()).Int("version").ShouldBe(3, "lifting is an event too");
        var lifted = await worker.WaitFor(r => r.Kind == "cell-control" && r.Alert["subject"]!["level"]!.GetValue<string>() == "open", TimeSpan.FromSeconds(5));
        lifted.Alert["severity"]!.GetValue<string>().ShouldBe("info");
        (await Cell(cell))["control"].ShouldBeNull();
        await CountsBecome(county, closed: 0, controlled: 0);
        (await app.County(county))["cellsUnderControl"]!.AsArray().ShouldBeEmpty();
        await Eventually.True(async () => (await PublicCounty(county)).Int("closedCells") == 0, TimeSpan.FromSeconds(10), "the public map drops it");

        // Lifting again is a repeat. The cell's workers got the close and the lift, once each; the neighbour's worker neither.
        (await (await Control(official, cell, new { level = "open", reason = "again" })).Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(1));
        worker.Alerts.Count(r => r.Kind == "cell-control").ShouldBe(2);
        neighbourWorker.Alerts.ShouldNotContain(r => r.Kind == "cell-control");
        var alerts = (await official.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?cell={cell}"))!;
        alerts.Count(a => a!["kind"]!.GetValue<string>() == "cell-control").ShouldBe(2);
    }

    [Fact]
    public async Task A_grid_worker_cannot_control_their_own_cell_nor_an_official_another_countys_and_nothing_is_written()
    {
        const string cell = "330782-302-001";
        await app.RegisterCell(cell);
        var body = new { level = "closed", reason = "Not theirs to decide" };
        using var worker = app.As(Roles.GridWorker, cells: cell);
        using var otherOfficial = app.As(Roles.CountyOfficial, "330110");
        using var ingest = app.As(Roles.Ingest);
        using var province = app.As(Roles.ProvinceOfficial);

        foreach (var caller in new[] { worker, otherOfficial, ingest, province })
        {
            var response = await Control(caller, cell, body);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }
        var view = await Cell(cell);
        view.Int("version").ShouldBe(1);
        view["control"].ShouldBeNull();
    }

    [Fact]
    public async Task Bad_bodies_are_refused_naming_the_field_and_write_nothing()
    {
        const string cell = "330782-303-001";
        await app.RegisterCell(cell);
        using var official = app.As(Roles.CountyOfficial, "330782");
        var now = app.Clock.GetUtcNow();
        var cases = new (string Field, string Json)[]
        {
            ("level", """{"reason":"r"}"""),
            ("level", """{"level":"locked","reason":"r"}"""),
            ("level", """{"level":2,"reason":"r"}"""),
            ("reason", """{"level":"closed"}"""),
            ("reason", """{"level":"closed","reason":"   "}"""),
            ("reason", $$"""{"level":"closed","reason":"{{new string('x', 501)}}"}"""),
            ("until", $$"""{"level":"closed","reason":"r","until":"{{now.AddMinutes(-1):O}}"}"""),
            ("until", $$"""{"level":"closed","reason":"r","until":"{{now:O}}"}"""),
            ("until", """{"level":"closed","reason":"r","until":"2020-03-01T10:00:00"}"""),
            ("until", """{"level":"closed","reason":"r","until":"next week"}"""),
            ("until", $$"""{"level":"open","reason":"r","until":"{{now.AddDays(1):O}}"}"""),
            ("whoever", """{"level":"closed","reason":"r","whoever":"admin"}"""),
        };
        foreach (var (field, json) in cases)
        {
            var response = await official.PutAsync($"/api/v1/cells/{cell}/control", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, json);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Body())["errors"]!.AsObject().Select(e => e.Key).ShouldContain(k => k.Equals(field, StringComparison.OrdinalIgnoreCase), json);
        }
        var view = await Cell(cell);
        view.Int("version").ShouldBe(1);
        view["control"].ShouldBeNull();
    }

    [Fact]
    public async Task Replay_of_the_county_before_between_and_after_agrees_with_the_live_counts_and_a_lapsed_control_counts_no_more()
    {
        const string county = "330783", closedCell = "330783-301-001", controlledCell = "330783-301-002", lateCell = "330783-301-003";
        foreach (var cell in new[] { closedCell, controlledCell, lateCell }) await app.RegisterCell(cell);
        using var official = app.As(Roles.CountyOfficial, county);
        using var auditor = app.As(Roles.Auditor);
        async Task<JsonObject> AsOf(DateTimeOffset at) => (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/counties/{county}?asOf={Q(at)}"))!;

        var t0 = app.Clock.GetUtcNow();
        (await Control(official, closedCell, new { level = "closed", reason = "cluster at the market" })).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromHours(1));
        var t1 = app.Clock.GetUtcNow();
        (await Control(official, controlledCell, new { level = "controlled", reason = "a traveller from Wuhan", until = t1.AddHours(2).ToString("O") })).EnsureSuccessStatusCode();
        await CountsBecome(county, closed: 1, controlled: 1);

        var live = await app.County(county);
        var now = await AsOf(app.Clock.GetUtcNow());
        (now.Int("closedCells"), now.Int("controlledCells")).ShouldBe((live.Int("closedCells"), live.Int("controlledCells")));
        var before = await AsOf(t0.AddMinutes(-1));
        (before.Int("closedCells"), before.Int("controlledCells")).ShouldBe((0, 0));
        var between = await AsOf(t0.AddMinutes(30));
        (between.Int("closedCells"), between.Int("controlledCells")).ShouldBe((1, 0));

        // Past its until the control lapses: the cell's view, a replay and the live county (at its next evaluation) agree.
        app.Clock.Advance(TimeSpan.FromHours(3));
        (await Cell(controlledCell))["control"].ShouldBeNull();
        var after = await AsOf(app.Clock.GetUtcNow());
        (after.Int("closedCells"), after.Int("controlledCells")).ShouldBe((1, 0));
        var stillInForce = await AsOf(t1.AddHours(1));
        (stillInForce.Int("closedCells"), stillInForce.Int("controlledCells")).ShouldBe((1, 1));
        (await Control(official, lateCell, new { level = "controlled", reason = "a neighbour's case" })).EnsureSuccessStatusCode();
        await CountsBecome(county, closed: 1, controlled: 1);
        var replayed = await AsOf(app.Clock.GetUtcNow());
        (replayed.Int("closedCells"), replayed.Int("controlledCells")).ShouldBe((1, 1));
    }
}
