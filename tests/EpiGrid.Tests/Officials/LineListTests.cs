using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Officials;

public sealed class LineListApp : EpiGridApp;

/// <summary>
/// Line lists (issue 17): a county's and the province's cases one per line, filtered, paged with a cursor that neither repeats
/// nor skips, as CSV with the same columns, as of a moment, and only for those who may read the cases.
/// </summary>
public sealed class LineListTests(LineListApp app) : IClassFixture<LineListApp>
{
    const string Wenzhou = "330302", Lucheng1 = "330302-101-001", Lucheng2 = "330302-101-002";

    static async Task<JsonObject> Page(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    /// <summary>Every page of a list, following nextCursor: the items in order.</summary>
    static async Task<List<JsonObject>> All(HttpClient client, string path, int limit)
    {
        var items = new List<JsonObject>();
        string? cursor = null;
        var separator = path.Contains('?') ? '&' : '?';
        for (var pages = 0; ; pages++)
        {
            pages.ShouldBeLessThan(10_000);
            var page = await Page(client, $"{path}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            var got = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            got.Count.ShouldBeLessThanOrEqualTo(limit);
            items.AddRange(got);
            if (page["nextCursor"] is not { } next) return items;
            got.Count.ShouldBe(limit, "only the last page is short");
            cursor = next.GetValue<string>();
        }
    }

    [Fact]
    public async Task Paging_through_a_county_of_10000_cases_returns_each_exactly_once_and_the_csv_equals_the_pages()
    {
        const string County = "330381", Cell = "330381-201-001", Other = "330381-201-002";
        await app.RegisterCell(Cell);
        await app.RegisterCell(Other);
        using var ingest = app.As(Roles.Ingest);
        var at = app.Clock.GetUtcNow().AddDays(-3);
        var reported = new HashSet<string>();
        for (var batch = 0; batch < 2; batch++)
        {
            var items = Enumerable.Range(batch * 5_000, 5_000).Select(i => new JsonObject
            {
                ["type"] = "case", ["cellId"] = i % 2 == 0 ? Cell : Other, ["caseId"] = $"rui-{i:D5}", ["kind"] = i % 10 == 0 ? "suspected" : "confirmed",
                ["local"] = i % 3 != 0, ["clusterId"] = i % 7 == 0 ? "rui-cluster" : null, ["occurredAt"] = at.AddMinutes(i % 1440).ToString("O"),
            }).ToArray();
            var response = await ingest.PostAsJsonAsync("/api/v1/reports:batch", new JsonObject { ["items"] = new JsonArray(items) });
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            (await response.Body())["results"]!.AsArray().ShouldAllBe(r => r!["status"]!.GetValue<int>() == 201);
            reported.UnionWith(items.Select(i => i["caseId"]!.GetValue<string>()));
        }

        using var official = app.As(Roles.CountyOfficial, County);
        var listed = await All(official, $"/api/v1/counties/{County}/cases", 1_000);
        listed.Count.ShouldBe(10_000);
        listed.Select(i => i["caseId"]!.GetValue<string>()).ToHashSet().SetEquals(reported).ShouldBeTrue("each case exactly once");

        // The CSV holds the same cases with the same columns, caseId first, in the same order.
        var csv = await official.GetAsync($"/api/v1/counties/{County}/cases?format=csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        header[0].ShouldBe("caseId");
        lines.Length.ShouldBe(10_001);
        for (var i = 0; i < listed.Count; i++)
        {
            var cells = lines[i + 1].Split(',');
            var item = listed[i];
            foreach (var (column, index) in header.Select((c, n) => (c, n)))
                cells[index].ShouldBe(Text(item[column]), $"row {i + 1}, {column}");
        }

        // Filters narrow the same list.
        (await All(official, $"/api/v1/counties/{County}/cases?kind=suspected", 1_000)).Count.ShouldBe(1_000);
        (await All(official, $"/api/v1/counties/{County}/cases?cluster=rui-cluster&cell={Cell}", 1_000))
            .ShouldAllBe(i => i["clusterId"]!.GetValue<string>() == "rui-cluster" && i["cellId"]!.GetValue<string>() == Cell);
        (await All(official, $"/api/v1/counties/{County}/cases?linked=true", 1_000)).Count.ShouldBe(Enumerable.Range(0, 10_000).Count(i => i % 7 == 0));
    }

    static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, out _) && s.Contains('T') => DateTimeOffset.Parse(s).ToString("O"),
        _ => value.GetValue<string>(),
    };

    [Fact]
    public async Task Filters_jurisdiction_and_a_moment_in_the_past_decide_what_a_list_holds()
    {
        await app.RegisterCell(Lucheng1);
        await app.RegisterCell(Lucheng2);
        using var ingest = app.As(Roles.Ingest);
        var early = app.Clock.GetUtcNow().AddDays(-5);
        (await app.ReportCase(ingest, Lucheng1, "wz-1", occurredAt: early)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.ReportCase(ingest, Lucheng1, "wz-2", kind: "suspected", clusterId: "wz-cluster", occurredAt: early.AddDays(1))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var beforeTheThird = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        (await app.ReportCase(ingest, Lucheng2, "wz-3", occurredAt: early.AddDays(2))).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var admin = app.Admin();
        (await admin.PostAsJsonAsync($"/api/v1/cells/{Lucheng1}/cases/wz-1/status", new { status = "ruled-out", occurredAt = app.Clock.GetUtcNow().ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        using var official = app.As(Roles.CountyOfficial, Wenzhou);
        async Task<string[]> Ids(HttpClient client, string query) =>
            (await All(client, $"/api/v1/counties/{Wenzhou}/cases{query}", 100)).Select(i => i["caseId"]!.GetValue<string>()).ToArray();
        (await Ids(official, "")).ShouldBe(["wz-1", "wz-2", "wz-3"]);
        (await Ids(official, "?kind=suspected")).ShouldBe(["wz-2"]);
        (await Ids(official, "?status=ruled-out")).ShouldBe(["wz-1"]);
        (await Ids(official, $"?cell={Lucheng2}")).ShouldBe(["wz-3"]);
        (await Ids(official, "?linked=false")).ShouldBe(["wz-1", "wz-3"]);
        (await Ids(official, $"?from={Uri.EscapeDataString(early.AddHours(12).ToString("O"))}&to={Uri.EscapeDataString(early.AddDays(1).AddHours(12).ToString("O"))}")).ShouldBe(["wz-2"]);
        var one = (await Page(official, $"/api/v1/counties/{Wenzhou}/cases?limit=1"))!;
        one["nextCursor"].ShouldNotBeNull();
        (await Page(official, $"/api/v1/counties/{Wenzhou}/cases?limit=3")).ContainsKey("nextCursor").ShouldBeFalse("no nextCursor on the last page");

        // As of a moment, from the events: the third case was not known yet, and the first was not yet ruled out.
        using var auditor = app.As(Roles.Auditor);
        var then = (await All(auditor, $"/api/v1/counties/{Wenzhou}/cases?knownAt={Uri.EscapeDataString(beforeTheThird.ToString("O"))}", 100));
        then.Select(i => i["caseId"]!.GetValue<string>()).ShouldBe(["wz-1", "wz-2"]);
        then[0]["status"]!.GetValue<string>().ShouldBe("active");
        (await All(auditor, "/api/v1/province/cases?cluster=wz-cluster", 100)).Select(i => i["caseId"]!.GetValue<string>()).ShouldBe(["wz-2"]);

        // Who may read: as for cells.
        using var worker = app.As(Roles.GridWorker, null, Lucheng2);
        (await Ids(worker, $"?cell={Lucheng2}")).ShouldBe(["wz-3"]);
        (await worker.GetAsync($"/api/v1/counties/{Wenzhou}/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.GetAsync($"/api/v1/counties/{Wenzhou}/cases?cell={Lucheng1}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.GetAsync($"/api/v1/counties/{Wenzhou}/cases?cell={Lucheng2}&knownAt={Uri.EscapeDataString(beforeTheThird.ToString("O"))}"))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var elsewhere = app.As(Roles.CountyOfficial, "330106");
        (await elsewhere.GetAsync($"/api/v1/counties/{Wenzhou}/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await elsewhere.GetAsync("/api/v1/province/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ingest.GetAsync($"/api/v1/counties/{Wenzhou}/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Bad parameters: 400 naming each.
        foreach (var (query, field) in new[]
                 {
                     ("kind=measles", "kind"), ("status=gone", "status"), ("limit=0", "limit"), ("limit=1001", "limit"), ("cursor=%21%21", "cursor"),
                     ("format=xml", "format"), ("from=yesterday", "from"), ("cell=330106-001-001", "cell"), ("linked=yes", "linked"),
                 })
        {
            var bad = await official.GetAsync($"/api/v1/counties/{Wenzhou}/cases?{query}");
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await bad.Body())["errors"]![field].ShouldNotBeNull(query);
        }
    }
}
