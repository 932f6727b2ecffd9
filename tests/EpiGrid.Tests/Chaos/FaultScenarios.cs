using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Client;
using EpiGrid.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// The fault scenarios of a cluster of real processes under a steady load of idempotent reports. Each records every
/// report the API acknowledged, then compares with the event store and the counties, and prints a one-line summary.
/// The alert ledger's scenario (persons' alerts, kind by kind) is in FaultScenarios.LedgerKill.cs.
/// </summary>
[Collection(nameof(FaultScenarios))]
public sealed partial class FaultScenarios(ITestOutputHelper output)
{
    const int Workers = 8;
    const int SeedCells = 2000;
    static readonly TimeSpan Warm = TimeSpan.FromSeconds(8), ConvergeWithin = TimeSpan.FromSeconds(10), RetryFor = TimeSpan.FromSeconds(40);

    [ChaosFact]
    public async Task Kill_9_one_of_three_silos_its_grains_come_back_on_the_others_and_no_acknowledged_report_is_lost()
    {
        await using var db = await TestDatabase.Create();
        await using var redis = new PrivateRedis();
        await redis.Start();
        await using var cluster = new ClusterUnderTest(db.ConnectionString, redis.ConnectionString);
        await cluster.StartSilo(SeedCells);
        await cluster.StartSilo();
        await cluster.StartSilo();
        var web = ClusterUnderTest.Address(await cluster.StartWeb());
        var cells = await Cells(db.ConnectionString, 60);
        using var ingest = ReportLoad.Client(web, await ReportLoad.DevToken(web, "ingest"));
        using var admin = ReportLoad.Client(web, await ReportLoad.DevToken(web, "admin"));

        var load = new ReportLoad(cells, _ => ingest);
        load.Start(Workers);
        await Task.Delay(Warm);
        var killedAt = load.Now;
        ClusterUnderTest.KillHard(cluster.Silos[1]);
        var declaredDead = await Until(async () => (await ActiveSilos(admin)) == 2, TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var (failed, requests) = load.Share(killedAt, load.Now);
        await load.Stop(RetryFor);

        foreach (var cell in cells) (await admin.GetAsync($"/api/v1/cells/{cell}")).IsSuccessStatusCode.ShouldBeTrue($"cell {cell} answers after the failover");
        var verdict = await Judge("silo-kill", db.ConnectionString, load, admin, failed, requests,
            $"silo declared dead after {declaredDead.TotalSeconds:0.0} s, its grains reactivated on the 2 others");
        verdict.Lost.ShouldBe(0, cluster.Output);
        load.GivenUp.ShouldBeEmpty("every report was acknowledged in the end: clients retry idempotently through the failover");
    }

    [ChaosFact]
    public async Task Kill_one_of_two_web_hosts_its_SignalR_clients_reconnect_to_the_other_and_catch_up_every_alert()
    {
        await using var db = await TestDatabase.Create();
        await using var redis = new PrivateRedis();
        await redis.Start();
        await using var cluster = new ClusterUnderTest(db.ConnectionString, redis.ConnectionString);
        await cluster.StartSilo(SeedCells);
        await cluster.StartSilo();
        var web1 = await cluster.StartWeb();
        var web2 = await cluster.StartWeb();
        await using var balancer = new TcpBalancer([web1.Port, web2.Port]);
        var (county, cells) = await BusiestCounty(db.ConnectionString, 30);
        var officialToken = await ReportLoad.DevToken(balancer.Address, "county-official", county);
        using var ingest = ReportLoad.Client(balancer.Address, await ReportLoad.DevToken(balancer.Address, "ingest"));
        using var admin = ReportLoad.Client(ClusterUnderTest.Address(web2), await ReportLoad.DevToken(balancer.Address, "admin"));

        var received = Enumerable.Range(0, 3).Select(_ => new ConcurrentDictionary<string, int>()).ToArray();
        var reconnected = new ConcurrentBag<TimeSpan>();
        var clients = new List<GridClient>();
        var load = new ReportLoad(cells, _ => ingest);
        foreach (var seen in received)
        {
            var client = new GridClient(balancer.Address, () => Task.FromResult<string?>(officialToken));
            client.AlertReceived += a => seen.AddOrUpdate(a.Id, 1, (_, n) => n + 1);
            client.StateChanged += s => { if (s == "connected") reconnected.Add(load.Now); };
            await client.StartAsync();
            clients.Add(client);
        }

        using var official = ReportLoad.Client(ClusterUnderTest.Address(web2), officialToken);
        load.Start(Workers);
        await Task.Delay(Warm);
        var killedAt = load.Now;
        var beforeKill = (await AlertIds(official)).Count;
        ClusterUnderTest.KillHard(web1);
        await Task.Delay(TimeSpan.FromSeconds(15));
        var (failed, requests) = load.Share(killedAt, load.Now);
        await load.Stop(RetryFor);

        var expected = await AlertIds(official);
        var allDelivered = TimeSpan.Zero;
        try { allDelivered = await Until(() => Task.FromResult(received.All(r => expected.All(r.ContainsKey))), TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { allDelivered = TimeSpan.FromSeconds(30); }
        var missing = received.Select(r => expected.Where(id => !r.ContainsKey(id)).ToList()).ToList();
        var duplicates = received.Sum(r => r.Values.Count(n => n > 1));
        var reconnectedIn = reconnected.Where(t => t > killedAt).DefaultIfEmpty(TimeSpan.Zero).Max() - killedAt;
        foreach (var c in clients) await c.DisposeAsync();

        var verdict = await Judge("web-kill", db.ConnectionString, load, admin, failed, requests,
            $"3 SignalR clients reconnected within {reconnectedIn.TotalSeconds:0.0} s; of {expected.Count} alerts in the store they miss "
            + $"{string.Join("/", missing.Select(m => m.Count))} ({allDelivered.TotalSeconds:0.0} s after the load), {duplicates} duplicates");
        verdict.Lost.ShouldBe(0, cluster.Output);
        missing.ShouldAllBe(m => m.Count == 0, "alerts never delivered, e.g. " + string.Join(" ", missing.SelectMany(m => m).Distinct().Take(5)));
        duplicates.ShouldBe(0);
        expected.Count.ShouldBeGreaterThan(beforeKill, "alerts raised after the kill are among those every client received");
        reconnectedIn.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the clients reconnected to the other host");
        reconnected.Count(t => t > killedAt).ShouldBeGreaterThan(0, "the clients did lose their host and reconnect");
    }

    [ChaosFact]
    public async Task Restart_PostgreSQL_requests_fail_fast_with_503_recover_by_themselves_and_lose_nothing()
    {
        await using var pg = new PrivatePostgres();
        await pg.Start();
        await using var redis = new PrivateRedis();
        await redis.Start();
        await using var cluster = new ClusterUnderTest(pg.ConnectionString, redis.ConnectionString);
        await cluster.StartSilo(SeedCells);
        await cluster.StartSilo();
        var web = ClusterUnderTest.Address(await cluster.StartWeb());
        var cells = await Cells(pg.ConnectionString, 60);
        using var ingest = ReportLoad.Client(web, await ReportLoad.DevToken(web, "ingest"));
        using var admin = ReportLoad.Client(web, await ReportLoad.DevToken(web, "admin"));

        var load = new ReportLoad(cells, _ => ingest);
        load.Start(Workers);
        await Task.Delay(Warm);
        var stoppedAt = load.Now;
        await pg.Stop();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var restartedAt = load.Now;
        await pg.Start();
        var recovered = await Until(() => Task.FromResult(load.Between(restartedAt, load.Now).Any(a => !a.Failed)), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var during = load.Between(stoppedAt, restartedAt).ToList();
        var (failed, requests) = load.Share(stoppedAt, load.Now);
        await load.Stop(RetryFor);

        var outcomes = string.Join(" ", during.GroupBy(a => a.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
        var slowest = during.Count == 0 ? TimeSpan.Zero : during.Max(a => a.Took);
        var verdict = await Judge("postgres-restart", pg.ConnectionString, load, admin, failed, requests,
            $"while down: {outcomes}, slowest answer {slowest.TotalMilliseconds:0} ms; first success {recovered.TotalSeconds:0.0} s after the restart");
        verdict.Lost.ShouldBe(0, cluster.Output);
        during.ShouldNotContain(a => a.Outcome == "500" || a.Outcome == "timeout", outcomes);
        during.Where(a => a.Failed).ShouldAllBe(a => a.Outcome == "503");
        during.ShouldContain(a => a.Outcome == "503", "the outage was felt: requests failed fast with 503 " + outcomes);
        load.Between(restartedAt, load.Now).ShouldNotContain(a => a.Outcome == "500" || a.Outcome == "timeout", "no 500 while recovering either");
        slowest.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [ChaosFact]
    public async Task Restart_Redis_the_cluster_keeps_serving_and_membership_recovers()
    {
        await using var db = await TestDatabase.Create();
        await using var redis = new PrivateRedis();
        await redis.Start();
        await using var cluster = new ClusterUnderTest(db.ConnectionString, redis.ConnectionString);
        await cluster.StartSilo(SeedCells);
        await cluster.StartSilo();
        var web = ClusterUnderTest.Address(await cluster.StartWeb());
        var cells = await Cells(db.ConnectionString, 60);
        using var ingest = ReportLoad.Client(web, await ReportLoad.DevToken(web, "ingest"));
        using var admin = ReportLoad.Client(web, await ReportLoad.DevToken(web, "admin"));

        var load = new ReportLoad(cells, _ => ingest);
        load.Start(Workers);
        await Task.Delay(Warm);
        var stoppedAt = load.Now;
        await redis.Stop();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var servedWhileDown = load.Between(stoppedAt, load.Now).Count(a => !a.Failed);
        await redis.Start();
        // Membership recovers: a silo started after the restart joins through Redis and the cluster lists three active silos.
        await cluster.StartSilo();
        var joined = await Until(async () => (await ActiveSilos(admin)) == 3, TimeSpan.FromSeconds(60));
        var (failed, requests) = load.Share(stoppedAt, load.Now);
        await load.Stop(RetryFor);

        var verdict = await Judge("redis-restart", db.ConnectionString, load, admin, failed, requests,
            $"{servedWhileDown} reports acknowledged while Redis was down; a silo started after the restart joined ({joined.TotalSeconds:0.0} s), 3 active");
        verdict.Lost.ShouldBe(0, cluster.Output);
        servedWhileDown.ShouldBeGreaterThan(0);
    }

    async Task<Verdict> Judge(string scenario, string store, ReportLoad load, HttpClient reader, int failed, int requests, string notes)
    {
        var (runCases, perCounty) = await Verdict.ReadStore(store, load.Prefix);
        var lost = load.Acknowledged.Keys.Count(id => !runCases.Contains(id));
        var convergedIn = lost == 0 ? await Verdict.CountiesConverge(reader, perCounty, ConvergeWithin) : TimeSpan.Zero;
        var verdict = new Verdict(scenario, load.Acknowledged.Count, runCases.Count, lost, convergedIn, failed, requests,
            notes + (load.GivenUp.IsEmpty ? "" : $"; {load.GivenUp.Count} never acknowledged"));
        verdict.Report(output);
        return verdict;
    }

    /// <summary>Every alert the caller may see, from the store (the truth the clients are compared with).</summary>
    static async Task<List<string>> AlertIds(HttpClient caller)
    {
        var ids = new List<string>();
        for (long after = 0; ;)
        {
            var page = (await caller.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?after={after}&limit=5000"))!;
            ids.AddRange(page.Select(a => a!["id"]!.GetValue<string>()));
            if (page.Count < 5000) return ids;
            after = page[^1]!["seq"]!.GetValue<long>();
        }
    }

    static async Task<int> ActiveSilos(HttpClient admin)
    {
        try
        {
            var view = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/cluster"))!;
            return view["silos"]!.AsArray().Count(s => s!["status"]!.GetValue<string>() == "active");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return -1; }
    }

    /// <summary>Time until the condition holds; fails after <paramref name="within"/>.</summary>
    static async Task<TimeSpan> Until(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.True(condition, within);
        return clock.Elapsed;
    }

    static async Task<List<string>> Cells(string store, int count)
    {
        await using var conn = new NpgsqlConnection(store + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select id from epigrid.mt_doc_cellrecord order by md5(id) limit {count}", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var cells = new List<string>();
        while (await reader.ReadAsync()) cells.Add(reader.GetString(0));
        return cells;
    }

    static async Task<(string County, List<string> Cells)> BusiestCounty(string store, int count)
    {
        var all = await Cells(store, 100_000);
        var county = all.GroupBy(c => c[..6]).OrderByDescending(g => g.Count()).First();
        return (county.Key, county.Take(count).ToList());
    }
}
