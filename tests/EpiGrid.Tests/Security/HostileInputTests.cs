using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Security;

public sealed class HostileApp : EpiGridApp
{
    /// <summary>The whole campaign comes from one admin token, as fast as the server answers.</summary>
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["RateLimits:Machine:Burst"] = "1000000",
        ["RateLimits:Machine:PerSecond"] = "1000000",
        ["RateLimits:Declarations:Burst"] = "1000000",
        ["RateLimits:Declarations:PerSecond"] = "1000000",
    };
}

/// <summary>
/// Thousands of malformed requests against every write endpoint the running app maps, sent with an admin token (or the role an endpoint names, when an admin may not call it) so
/// they pass authorization and reach validation: each must be refused with a 4xx problem+json and change nothing.
/// </summary>
public sealed class HostileInputTests(HostileApp app, ITestOutputHelper output) : IClassFixture<HostileApp>
{
    const string Cell = "330106-001-001", County = "330106", CaseId = "seed-case-1", EnterpriseId = "seed-ent-1";
    const int Requests = 6_000;
    static readonly string At = EpiGridApp.Start.AddHours(-1).ToString("O");

    /// <summary>A valid body per write endpoint and the fields it cannot do without. Endpoints not listed get a "{}" seed.</summary>
    static IEnumerable<WriteEndpoint> Known()
    {
        yield return new("PUT", "/api/v1/cells/{cellId}", BodyShape.Object, new() { ["name"] = "Hostile cell", ["households"] = 120 }, ["name", "households"]);
        yield return new("PUT", "/api/v1/cells/{cellId}/control", BodyShape.Object,
            new() { ["level"] = "closed", ["reason"] = "两例确诊 Two confirmed cases", ["until"] = EpiGridApp.Start.AddDays(14).ToString("O") }, ["level", "reason"]);
        yield return new("POST", "/api/v1/cells/{cellId}/cases", BodyShape.Object,
            new() { ["caseId"] = "h-1", ["kind"] = "confirmed", ["local"] = true, ["clusterId"] = "c-1", ["occurredAt"] = At }, ["caseId", "kind", "local", "occurredAt"]);
        yield return new("POST", "/api/v1/cells/{cellId}/cases/{caseId}/status", BodyShape.Object,
            new() { ["status"] = "hospitalised", ["occurredAt"] = At }, ["status", "occurredAt"]);
        yield return new("POST", "/api/v1/cells/{cellId}/travellers", BodyShape.Object,
            new() { ["travellerId"] = "t-1", ["originArea"] = "武汉 Wuhan", ["originRisk"] = "high", ["arrivedAt"] = At, ["mode"] = "rail", ["quarantine"] = "home" },
            ["originArea", "originRisk", "arrivedAt"]);
        yield return new("POST", "/api/v1/reports:batch", BodyShape.Batch, new()
        {
            ["items"] = new JsonArray(new JsonObject { ["type"] = "case", ["cellId"] = Cell, ["caseId"] = "hb-1", ["kind"] = "confirmed", ["local"] = false, ["occurredAt"] = At }),
        }, ["items"]);
        yield return new("POST", "/api/v1/cases/{caseId}/contacts", BodyShape.Batch, new()
        {
            ["items"] = new JsonArray(new JsonObject
            {
                ["idNumber"] = EpiGrid.Tests.People.ResidentIdTests.Make(330106, new DateOnly(1975, 6, 1), 7), ["cellId"] = Cell, ["lastContactAt"] = At,
                ["setting"] = "household", ["source"] = "hostile", ["sourceRecordId"] = "hc-1",
            }),
        }, ["items"]);
        yield return new("POST", "/api/v1/persons/{personRef}/contacts", BodyShape.Batch, new()
        {
            ["items"] = new JsonArray(new JsonObject
            {
                ["idNumber"] = EpiGrid.Tests.People.ResidentIdTests.Make(330106, new DateOnly(1976, 6, 1), 8), ["cellId"] = Cell, ["lastContactAt"] = At,
                ["setting"] = "household", ["source"] = "hostile", ["sourceRecordId"] = "hcc-1",
            }),
        }, ["items"]);
        yield return new("POST", "/api/v1/persons/{personRef}/itinerary", BodyShape.Object, new()
        {
            ["items"] = new JsonArray(new JsonObject { ["county"] = County, ["from"] = At, ["to"] = At }), ["source"] = "hostile", ["sourceRecordId"] = "hi-1",
        }, ["items", "source", "sourceRecordId"]);
        yield return new("POST", "/api/v1/persons/{personRef}/check-ins", BodyShape.Object,
            new() { ["occurredAt"] = At, ["temperature"] = 36.6, ["symptoms"] = new JsonArray("cough") }, ["occurredAt", "temperature"]);
        // Recorded by the cell's workers and the county's officials only (an admin is refused before validation).
        yield return new("POST", "/api/v1/cells/{cellId}/visits", BodyShape.Object, new()
        {
            ["visitId"] = "hv-1", ["visitedAt"] = At, ["outcome"] = "found", ["quarantineKept"] = true, ["temperature"] = 36.6,
            ["symptoms"] = new JsonArray("cough"), ["note"] = "家中有人 Someone at home",
        }, ["visitId", "visitedAt", "outcome"], Roles.CountyOfficial);
        yield return new("POST", "/api/v1/imports/arrivals", BodyShape.Csv, new(), []);
        yield return new("POST", "/api/v1/alerts/{alertId}/ack", BodyShape.Object, new() { ["note"] = "Visited, family isolated" }, []);
        yield return new("POST", "/api/v1/audit/what-if", BodyShape.Object,
            new() { ["ruleSet"] = "zhejiang-5", ["ruleVersion"] = "2020-02-09.1", ["from"] = "2020-02-01T00:00:00+08:00", ["to"] = "2020-02-10T00:00:00+08:00" }, ["from", "to"]);
        yield return new("PUT", "/api/v1/enterprises/{id}", BodyShape.Object,
            new() { ["county"] = County, ["cellId"] = Cell, ["name"] = "杭州 Textiles", ["industry"] = "textiles", ["baselineKwhPerDay"] = 1200.5 },
            ["county", "name", "industry", "baselineKwhPerDay"]);
        yield return new("POST", "/api/v1/enterprises/{id}/staff", BodyShape.Object, new() { ["day"] = "2020-02-19", ["staffAtWork"] = 40 }, ["day", "staffAtWork"]);
        yield return new("POST", "/api/v1/enterprises", BodyShape.JsonArray,
            new() { ["id"] = "he-1", ["county"] = County, ["name"] = "Hostile works", ["industry"] = "textiles", ["baselineKwhPerDay"] = 100 }, []);
        yield return new("POST", "/api/v1/enterprises/readings", BodyShape.Readings, new() { ["enterpriseId"] = EnterpriseId, ["day"] = "2020-02-19", ["kwh"] = 900 }, []);
        yield return new("POST", "/api/v1/public/declarations", BodyShape.Object, new()
        {
            ["idNumber"] = EpiGrid.Tests.People.ResidentIdTests.Make(330106, new DateOnly(1977, 6, 1), 9), ["name"] = "张三", ["phone"] = "13912345678",
            ["cellId"] = Cell, ["itinerary"] = new JsonArray(new JsonObject { ["county"] = County, ["from"] = At, ["to"] = At }),
            ["symptoms"] = new JsonArray("fever"), ["contactWithCase"] = false,
        }, ["idNumber", "name", "phone", "cellId"]);
        // Any token the generator makes is one this platform never issued: refused whatever else is wrong.
        yield return new("POST", "/api/v1/public/codes:refresh", BodyShape.Object, new() { ["token"] = "c1." + new string('A', 92) }, ["token"]);
        yield return new("POST", "/api/v1/codes:scan", BodyShape.Object,
            new() { ["token"] = "c1." + new string('A', 92), ["place"] = "Hostile gate", ["county"] = County }, ["token", "place"]);
        yield return new("POST", "/api/v1/dev/tokens", BodyShape.Object,
            new() { ["role"] = "grid-worker", ["cells"] = new JsonArray(Cell), ["subject"] = "hostile", ["lifetimeMinutes"] = 30 }, ["role"]);
    }

    [Fact]
    public async Task Thousands_of_malformed_requests_to_every_write_endpoint_are_refused_with_problem_json_and_change_nothing()
    {
        var routeValues = await Seed();
        var endpoints = WriteEndpoints();
        var known = Known().ToDictionary(e => (e.Method, e.Pattern));
        known.Keys.Except(endpoints).ShouldBeEmpty("every endpoint with a seed is still mapped");
        var targets = endpoints.Select(e => known.GetValueOrDefault(e) ?? new WriteEndpoint(e.Method, e.Pattern, BodyShape.Object, new JsonObject(), [])).ToList();
        output.WriteLine($"{targets.Count} write endpoints: " + string.Join(", ", targets.Select(t => t + (known.ContainsKey((t.Method, t.Pattern)) ? "" : " (no seed)"))));

        var seed = (ulong)Environment.TickCount64;
        var requests = Gen.Elements(targets.ToArray()).SelectMany(t => HostileRequests.Against(t, routeValues).Select(r => r with { Role = t.Role }))
            .Sample(Requests, new Rnd(seed), 30);
        output.WriteLine($"FsCheck seed {seed}: {requests.Length:N0} requests");

        using var admin = app.Admin();
        admin.Timeout = TimeSpan.FromSeconds(30);
        using var official = app.As(Roles.CountyOfficial, county: County);
        official.Timeout = TimeSpan.FromSeconds(30);
        await Quiet();
        var before = await StoreSignature();
        var byStatus = new SortedDictionary<int, int>();
        var byAttack = new SortedDictionary<string, int>();
        var findings = new List<(string Kind, string Example)>();
        var clock = Stopwatch.StartNew();
        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path) { Content = new ByteArrayContent(request.Body) };
            message.Content.Headers.ContentType = request.ContentType is null ? null : MediaTypeHeaderValue.Parse(request.ContentType);
            using var response = await (request.Role == Roles.CountyOfficial ? official : admin).SendAsync(message);
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            byAttack[request.Attack] = byAttack.GetValueOrDefault(request.Attack) + 1;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or > 499 || type != "application/problem+json")
                findings.Add(($"{status} {type}: {request.Attack} on {request.Method} {request.Path}", $"{request} -> {Cut(await response.Content.ReadAsStringAsync())}"));
            else if (await StoreSignature() is var now && now != before)
            {
                findings.Add(($"stored a change: {request.Attack} on {request.Method} {request.Path}", $"{request}\n  before {before}\n  after  {now}"));
                before = now;
            }
        }
        output.WriteLine($"{requests.Length:N0} requests in {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine("By status: " + string.Join(", ", byStatus.Select(s => $"{s.Key}: {s.Value:N0}")));
        output.WriteLine("By attack: " + string.Join(", ", byAttack.Select(a => $"{a.Key}: {a.Value:N0}")));
        foreach (var kind in findings.GroupBy(f => f.Kind).OrderByDescending(g => g.Count()))
            output.WriteLine($"{kind.Count()} × {kind.Key}\n    e.g. {kind.First().Example}");

        findings.ShouldBeEmpty($"{findings.Count} of {requests.Length} requests were not refused cleanly (first above)");
        byStatus.Keys.ShouldAllBe(status => status >= 400 && status < 500);
        requests.Length.ShouldBeGreaterThanOrEqualTo(5_000);
        (await StoreSignature()).ShouldBe(before);
    }

    /// <summary>Write endpoints of the running app. Hubs speak SignalR, not JSON bodies: the hub tests cover them.</summary>
    List<(string Method, string Pattern)> WriteEndpoints() =>
        app.WebServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                .Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.Trim('/'))))
            .Where(e => !e.Pattern.StartsWith("/hubs/", StringComparison.Ordinal))
            .Distinct().OrderBy(e => e.Pattern).ToList();

    /// <summary>Something for every route to point at: a cell with a case (and its alert), a person, an enterprise.</summary>
    async Task<Dictionary<string, string>> Seed()
    {
        await app.RegisterCell(Cell);
        using var admin = app.Admin();
        (await app.ReportCase(admin, Cell, CaseId, occurredAt: EpiGridApp.Start.AddHours(-2))).EnsureSuccessStatusCode();
        var arrival = await admin.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(420106, new DateOnly(1985, 3, 4), 7), name = "张三", phone = "13812345678",
            origin = new { area = "武汉 Wuhan", risk = "high" }, arrivedAt = At, mode = "rail", source = "police", sourceRecordId = "hostile-1",
        });
        arrival.StatusCode.ShouldBe(HttpStatusCode.Created, await arrival.Content.ReadAsStringAsync());
        var personRef = (await arrival.Body())["personRef"]!.GetValue<string>();
        // The person is a close contact of the case too, so the contacts of a contact have someone to be the contacts of.
        var contact = await admin.PostAsJsonAsync($"/api/v1/cases/{CaseId}/contacts", new
        {
            items = new[] { new { idNumber = ResidentIdTests.Make(420106, new DateOnly(1985, 3, 4), 7), cellId = Cell, lastContactAt = At, setting = "work",
                source = "police", sourceRecordId = "hostile-contact-1" } },
        });
        contact.StatusCode.ShouldBe(HttpStatusCode.Created, await contact.Content.ReadAsStringAsync());
        var enterprise = await admin.PutAsJsonAsync($"/api/v1/enterprises/{EnterpriseId}", new { county = County, name = "Seed works", industry = "textiles", baselineKwhPerDay = 1000 });
        enterprise.IsSuccessStatusCode.ShouldBeTrue(await enterprise.Content.ReadAsStringAsync());
        string? alertId = null;
        await Eventually.True(async () =>
            (alertId = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/alerts"))!.Select(a => a!["id"]!.GetValue<string>()).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(10));
        return new() { ["cellId"] = Cell, ["caseId"] = CaseId, ["personRef"] = personRef, ["id"] = EnterpriseId, ["alertId"] = alertId! };
    }

    /// <summary>Waits until the store stops moving after the seeding (projections, county updates, alerts).</summary>
    async Task Quiet()
    {
        var last = await StoreSignature();
        var still = Stopwatch.StartNew();
        var deadline = Stopwatch.StartNew();
        while (still.Elapsed < TimeSpan.FromSeconds(3) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250);
            var now = await StoreSignature();
            if (now != last) (last, still) = (now, Stopwatch.StartNew());
        }
    }

    /// <summary>Events (count and highest sequence) and, for every document table, its rows and latest change.</summary>
    async Task<string> StoreSignature()
    {
        var tables = await app.Database.Rows(
            // The alert sweep moves its checkpoint on a timer, whatever the requests.
            "select table_name from information_schema.tables where table_schema = 'epigrid' and (table_name like 'mt_doc_%' or table_name = 'mt_streams')"
            + " and table_name <> 'mt_doc_alertsweepcheckpoint' order by 1",
            r => r.GetString(0));
        var parts = tables.Select(t => t == "mt_streams"
            ? $"select 'streams:' || count(*) || '/' || coalesce(max(version), 0) from epigrid.mt_streams"
            : $"select '{t[7..]}:' || count(*) || '/' || coalesce(max(mt_last_modified)::text, '-') from epigrid.{t}");
        var sql = "select string_agg(x, ' ' order by x) from (select 'events:' || count(*) || '/' || coalesce(max(seq_id), 0) as x from epigrid.mt_events"
            + string.Concat(parts.Select(p => " union all " + p)) + ") s";
        return await app.Database.Scalar<string>(sql);
    }

    static string Cut(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
