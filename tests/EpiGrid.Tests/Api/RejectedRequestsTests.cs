using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Api;

/// <summary>Bad input gets a precise problem+json and changes nothing; access outside one's jurisdiction is refused.</summary>
public sealed class RejectedRequestsTests(EpiGridApp app) : IClassFixture<EpiGridApp>, IAsyncLifetime
{
    const string Cell = "330106-001-001";

    public Task InitializeAsync() => app.RegisterCell(Cell);
    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string> BadCaseBodies => new()
    {
        { "malformed JSON", """{"caseId":"x1","kind":"confirmed",""", "" },
        { "unknown kind", """{"caseId":"x2","kind":"probable","local":true,"occurredAt":"2020-02-19T10:00:00+08:00"}""", "kind" },
        { "future date", """{"caseId":"x3","kind":"confirmed","local":true,"occurredAt":"2020-02-21T10:00:00+08:00"}""", "occurredAt" },
        { "wrong type", """{"caseId":"x4","kind":"confirmed","local":"yes","occurredAt":"2020-02-19T10:00:00+08:00"}""", "local" },
        { "unknown field", """{"caseId":"x5","kind":"confirmed","local":true,"occurredAt":"2020-02-19T10:00:00+08:00","extra":1}""", "extra" },
        { "missing occurredAt", """{"caseId":"x6","kind":"confirmed","local":true}""", "occurredAt" },
        { "bad case id", """{"caseId":"a b","kind":"confirmed","local":true,"occurredAt":"2020-02-19T10:00:00+08:00"}""", "caseId" },
    };

    [Theory]
    [MemberData(nameof(BadCaseBodies))]
    public async Task A_bad_case_report_is_400_problem_json_naming_the_field_and_stores_nothing(string what, string body, string field)
    {
        using var ingest = app.As("ingest");
        var before = await app.Database.CellEventCount();

        var response = await ingest.PostAsync($"/api/v1/cells/{Cell}/cases", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, what);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Body();
        problem["status"]!.GetValue<int>().ShouldBe(400);
        if (field != "") problem["errors"]!.AsObject().ContainsKey(field).ShouldBeTrue($"{what}: {problem.ToJsonString()}");
        (await app.Database.CellEventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task A_cell_of_an_unknown_county_is_404()
    {
        using var admin = app.Admin();
        var before = await app.Database.CellEventCount();
        var response = await admin.PutAsJsonAsync("/api/v1/cells/339999-001-001", new { name = "Nowhere", households = 10 });
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await app.Database.CellEventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task No_token_is_401()
    {
        using var anonymous = app.Anonymous();
        var response = await app.ReportCase(anonymous, Cell, "anon-1");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/v1/counties")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_grid_worker_writing_to_another_cell_is_403_and_to_their_own_cell_is_accepted()
    {
        await app.RegisterCell("330106-001-002");
        using var worker = app.As("grid-worker", cells: "330106-001-002");
        var before = await app.Database.CellEventCount();

        var elsewhere = await app.ReportCase(worker, Cell, "w-1", occurredAt: EpiGridApp.Start.AddHours(-1));
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        elsewhere.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await app.Database.CellEventCount()).ShouldBe(before);

        (await app.ReportCase(worker, "330106-001-002", "w-2", occurredAt: EpiGridApp.Start.AddHours(-1)))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await worker.GetAsync($"/api/v1/cells/{Cell}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("province-official")]
    public async Task Read_only_roles_cannot_write(string role)
    {
        using var client = app.As(role);
        (await app.ReportCase(client, Cell, "ro-" + role)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync($"/api/v1/cells/{Cell}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_county_official_may_write_in_their_county_only()
    {
        await app.RegisterCell("330108-001-001");
        using var official = app.As("county-official", county: "330106");
        (await app.ReportCase(official, Cell, "co-1", occurredAt: EpiGridApp.Start.AddHours(-1))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.ReportCase(official, "330108-001-001", "co-2")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Only_an_admin_registers_cells()
    {
        using var official = app.As("county-official", county: "330106");
        var response = await official.PutAsJsonAsync("/api/v1/cells/330106-001-003", new { name = "x", households = 1 });
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_batch_endpoint_answers_each_item_and_an_invalid_item_does_not_stop_the_others()
    {
        using var ingest = app.As("ingest");
        var at = EpiGridApp.Start.AddHours(-2).ToString("O");
        var response = await ingest.PostAsJsonAsync("/api/v1/reports:batch", new
        {
            items = new object[]
            {
                new { type = "case", cellId = Cell, caseId = "b-1", kind = "confirmed", local = false, occurredAt = at },
                new { type = "case", cellId = Cell, caseId = "b-2", kind = "nonsense", local = false, occurredAt = at },
                new { type = "case", cellId = "339999-001-001", caseId = "b-3", kind = "confirmed", local = false, occurredAt = at },
                new { type = "status", cellId = Cell, caseId = "b-1", status = "hospitalised", occurredAt = at },
                new { type = "case", cellId = Cell, caseId = "b-1", kind = "confirmed", local = false, occurredAt = at },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var results = (await response.Body())["results"]!.AsArray().Select(r => r!.AsObject()).ToList();
        results.Select(r => r["status"]!.GetValue<int>()).ShouldBe([201, 400, 404, 200, 200]);
        results[4]["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        results[1]["problem"]!["errors"]!.AsObject().ContainsKey("items[1].kind").ShouldBeTrue(results[1].ToJsonString());
        using var auditor = app.As("auditor");
        var cell = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}"))!;
        cell["cases"]!.AsArray().Single(c => c!["caseId"]!.GetValue<string>() == "b-1")!["status"]!.GetValue<string>().ShouldBe("hospitalised");
    }
}

public sealed class ProductionProfileTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task The_dev_token_endpoint_does_not_exist_outside_the_local_profile()
    {
        using var anonymous = app.Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "admin" });
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class DevTokenTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task The_local_profile_issues_a_signed_token_that_the_api_accepts()
    {
        using var anonymous = app.Anonymous();
        var issued = await anonymous.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "county-official", county = "330782" });
        issued.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await issued.Body())["token"]!.GetValue<string>();
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await client.GetAsync("/api/v1/counties/330782")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        (await client.GetAsync("/api/v1/counties/330782")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
