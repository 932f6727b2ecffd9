using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

public sealed class ChainApp : EpiGridApp;

/// <summary>Transmission chains, clusters and the cases with no known source (issue 16), from the register the live path writes.</summary>
public sealed class ChainTests(ChainApp app) : IClassFixture<ChainApp>
{
    const string County = "330108", CellA = "330108-501-001", CellB = "330108-501-002", OtherCounty = "330212", CellX = "330212-501-001";

    async Task Report(HttpClient client, string cell, string caseId, string? infectedBy = null, string? clusterId = null, string kind = "confirmed",
        int hoursAgo = 5, string? idNumber = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/cells/{cell}/cases", new
        {
            caseId, kind, local = true, clusterId, infectedBy, idNumber, occurredAt = app.Clock.GetUtcNow().AddHours(-hoursAgo).ToString("O"),
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    static string[] Keys(JsonNode? nodes) => nodes!.AsArray().Select(n => n!["key"]!.GetValue<string>()).Order().ToArray();

    [Fact]
    public async Task A_chain_shows_who_infected_whom_the_cluster_lists_its_cases_and_the_unlinked_list_holds_exactly_the_cases_without_a_source()
    {
        foreach (var cell in new[] { CellA, CellB, CellX }) await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        // A → B → C by infectedBy, all three in cluster "ch-wedding"; D infected by B in another county; E and F without a
        // source (F ruled out later); G in the cluster only; H old (20 days ago).
        await Report(ingest, CellA, "ch-A", clusterId: "ch-wedding", hoursAgo: 30, idNumber: ResidentIdTests.Make(330108, new DateOnly(1966, 1, 2), 1));
        await Report(ingest, CellA, "ch-B", infectedBy: "ch-A", clusterId: "ch-wedding", hoursAgo: 20);
        await Report(ingest, CellB, "ch-C", infectedBy: "ch-B", clusterId: "ch-wedding", hoursAgo: 10);
        await Report(ingest, CellX, "ch-D", infectedBy: "ch-B", hoursAgo: 8);
        await Report(ingest, CellB, "ch-E", hoursAgo: 6);
        await Report(ingest, CellB, "ch-F", kind: "suspected", hoursAgo: 6);
        await Report(ingest, CellB, "ch-G", clusterId: "ch-wedding", hoursAgo: 4);
        await Report(ingest, CellB, "ch-H", hoursAgo: 20 * 24);
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{CellB}/cases/ch-F/status", new { status = "ruled-out", occurredAt = app.Clock.GetUtcNow().ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var selfInfected = await ingest.PostAsJsonAsync($"/api/v1/cells/{CellB}/cases", new
        {
            caseId = "ch-Z", kind = "confirmed", local = true, infectedBy = "ch-Z", occurredAt = app.Clock.GetUtcNow().ToString("O"),
        });
        selfInfected.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await selfInfected.Body())["errors"]!["infectedBy"].ShouldNotBeNull();

        using var official = app.As(Roles.CountyOfficial, County);
        var chain = (await official.GetFromJsonAsync<JsonObject>("/api/v1/cases/ch-B/chain"))!;
        chain["case"]!["key"]!.GetValue<string>().ShouldBe($"{County}:ch-B");
        Keys(chain["ancestors"]).ShouldBe([$"{County}:ch-A"]);
        Keys(chain["descendants"]).ShouldBe([$"{County}:ch-C", $"{OtherCounty}:ch-D"], "downstream across counties");
        var edges = chain["edges"]!.AsArray().Select(e => (e!["from"]!.GetValue<string>(), e["to"]!.GetValue<string>(), e["kind"]!.GetValue<string>())).ToList();
        edges.ShouldBe([($"{County}:ch-A", $"{County}:ch-B", "infected"), ($"{County}:ch-B", $"{County}:ch-C", "infected"),
            ($"{County}:ch-B", $"{OtherCounty}:ch-D", "infected")], ignoreOrder: true);
        chain["ancestors"]![0]!["maskedId"]!.GetValue<string>().ShouldContain("*", Case.Sensitive, "the person of case A, masked");
        (await official.GetFromJsonAsync<JsonObject>("/api/v1/cases/ch-A/chain"))!["descendants"]!.AsArray().Count.ShouldBe(3, "B, then C and D");

        // Auditors: the chain as it stood at a moment, from the events alone. Nine hours ago C had been infected, D not yet;
        // 25 hours ago B was not yet a case. Recorded as an audit query; grid workers may not replay.
        using var auditor = app.As(Roles.Auditor);
        string AsOf(int hoursAgo) => Uri.EscapeDataString(app.Clock.GetUtcNow().AddHours(-hoursAgo).ToString("O"));
        var queries = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'audit_queried'");
        var then = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/ch-B/chain?asOf={AsOf(9)}"))!;
        Keys(then["ancestors"]).ShouldBe([$"{County}:ch-A"]);
        Keys(then["descendants"]).ShouldBe([$"{County}:ch-C"], "D was infected 8 hours ago");
        then["ancestors"]![0]!["maskedId"]!.GetValue<string>().ShouldContain("*");
        (await auditor.GetAsync($"/api/v1/cases/ch-B/chain?asOf={AsOf(25)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Keys((await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/ch-B/chain?knownAt={Uri.EscapeDataString(app.Clock.GetUtcNow().ToString("O"))}"))!["descendants"])
            .ShouldBe(Keys(chain["descendants"]), "as known now: the live chain");
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'audit_queried'")).ShouldBe(queries + 3);
        using var cellWorker = app.As(Roles.GridWorker, null, CellA);
        (await cellWorker.GetAsync("/api/v1/cases/ch-B/chain")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await cellWorker.GetAsync($"/api/v1/cases/ch-B/chain?asOf={AsOf(9)}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var cluster = (await official.GetFromJsonAsync<JsonObject>("/api/v1/clusters/ch-wedding"))!;
        Keys(cluster["cases"]).ShouldBe([$"{County}:ch-A", $"{County}:ch-B", $"{County}:ch-C", $"{County}:ch-G"]);
        cluster["cells"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe([CellA, CellB]);
        cluster["counties"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe([County]);
        cluster["firstReport"]!.GetValue<DateTimeOffset>().ShouldBe(app.Clock.GetUtcNow().AddHours(-30));
        cluster["lastReport"]!.GetValue<DateTimeOffset>().ShouldBe(app.Clock.GetUtcNow().AddHours(-4));

        var unlinked = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/counties/{County}/unlinked-cases"))!;
        Keys(unlinked["items"]).ShouldBe([$"{County}:ch-E"], "neither source nor cluster, within 14 days, not ruled out");

        // The county's share of new confirmed cases with a known source: A, B, C, G of A, B, C, E, G.
        JsonObject view = null!;
        await Eventually.True(async () =>
        {
            view = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/counties/{County}"))!;
            return view["newLast14Days"]!.GetValue<int>() == 5;
        }, TimeSpan.FromSeconds(15), "the county hears of its cells' cases");
        view["linkedLast14Days"]!.GetValue<int>().ShouldBe(4);
        view["linkedShareLast14Days"]!.GetValue<double>().ShouldBe(4 / 5.0, 1e-9);

        // Jurisdiction: another county's official sees neither the chain nor the unlinked list; a grid worker of the cell sees the chain.
        using var stranger = app.As(Roles.CountyOfficial, "330110");
        (await stranger.GetAsync("/api/v1/cases/ch-B/chain")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.GetAsync($"/api/v1/counties/{County}/unlinked-cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.GetAsync("/api/v1/clusters/ch-wedding")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var worker = app.As(Roles.GridWorker, cells: CellA);
        (await worker.GetAsync("/api/v1/cases/ch-B/chain")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await official.GetAsync("/api/v1/cases/no-such/chain")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
