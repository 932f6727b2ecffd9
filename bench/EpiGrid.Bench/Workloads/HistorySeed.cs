using System.Net.Http.Json;
using System.Text.Json;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Simulator.Runner;
using Npgsql;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// The history workload's large store: a long outbreak written through the platform's own write paths, then kept. On a
/// platform of its own (its own PostgreSQL, the province seeded as usual): <see cref="Size"/> cases through the batch API
/// (1,000 items a request, 4 clients) over the 8 weeks before the seed, in every county, a third of them in 2,000 cluster
/// cells; as many persons through the arrivals import (CSV, 25,000 rows a request), over the same weeks, 2 % of them from
/// high- and medium-risk areas in the last week (red and yellow codes: the quarantine watches hold them and record their
/// missed days); every alert with a due time acknowledged through the API, as grid workers would have (none escalates
/// later because the cache is old); then the store left idle past a sweep of the alert ledger. PostgreSQL is stopped and
/// its data folder kept in bench/.artifacts/history-seed-&lt;version&gt;-&lt;size&gt;/ (git-ignored) with seed.json (counts,
/// rates, the commit that wrote it). Later runs copy it afresh. Drop the cache by deleting that folder (or all of
/// bench/.artifacts); bump <see cref="Version"/> when what is seeded changes.
/// </summary>
public static class HistorySeed
{
    public const int Version = 1;
    public const string Database = "epigrid_history";
    const int OutbreakDays = 56, WatchedEvery = 50, WatchedWithinDays = 7, HotCellEvery = 40;
    const int CaseBatch = 1_000, CaseClients = 4, ImportRows = 25_000, AckClients = 32;

    /// <summary>Cases, and as many persons: 100,000 quick, 1,000,000 full.</summary>
    public static int Size(BenchContext ctx) => ctx.Quick ? 100_000 : 1_000_000;

    public static string CacheOf(BenchContext ctx) => Path.Combine(ctx.Artifacts, $"history-seed-{Version}-{Size(ctx)}");

    /// <summary>A cell with many cases (a cluster), in a county with many: the workload's probe cell.</summary>
    public static string ProbeCell(BenchContext ctx) => ctx.CellIds[HotCellEvery * 7];

    /// <summary>The seed's manifest, seeding first when no cache is there.</summary>
    public static async Task<JsonObject> Ensure(BenchContext ctx)
    {
        var manifest = Path.Combine(CacheOf(ctx), "seed.json");
        if (!File.Exists(manifest)) await Seed(ctx);
        return JsonNode.Parse(await File.ReadAllTextAsync(manifest))!.AsObject();
    }

    /// <summary>A fresh copy of the cached data folder in <paramref name="dir"/> (dir/data), for one platform start.</summary>
    public static Task CopyTo(BenchContext ctx, string dir)
    {
        Directory.CreateDirectory(dir);
        return Copy(Path.Combine(CacheOf(ctx), "data"), Path.Combine(dir, "data"));
    }

    static async Task Seed(BenchContext ctx)
    {
        var dir = Path.Combine(ctx.WorkDirectory, "history-seeding");
        var port = LocalPostgres.FreePort();
        var clock = Stopwatch.StartNew();
        var manifest = new JsonObject { ["seedVersion"] = Version, ["seededAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["commit"] = Environment.GetEnvironmentVariable("EPIGRID_BENCH_COMMIT") };
        BenchContext.Log($"history: no cache in {CacheOf(ctx)}; seeding {Size(ctx):N0} cases and {Size(ctx):N0} persons (once)");
        await LocalPostgres.Script(ctx, "start", dir, port, Database);
        try
        {
            await using (var platform = await PlatformUnderTest.StartOn(ctx.OnServer(LocalPostgres.Server(port)), 0, Database, "history-seeding", TimeSpan.FromMinutes(5)))
            {
                using var client = PlatformClient.For(platform.BaseAddress, 48);
                client.Http.Timeout = TimeSpan.FromMinutes(10);
                var (ingest, admin) = (await client.DevToken("ingest"), await client.DevToken("admin"));
                await using var store = NpgsqlDataSource.Create($"{LocalPostgres.Server(port)};Database={Database}");

                manifest["casesPerSecond"] = Math.Round(await Cases(ctx, client, ingest));
                manifest["acknowledgedAfterCases"] = await AcknowledgeOpen(client, admin);
                manifest["personsPerSecond"] = Math.Round(await Persons(ctx, client, ingest));
                // The watches record the watched persons' missed days (a minute's timer): wait for the store to be quiet.
                await Settle(store, TimeSpan.FromSeconds(75));
                var acks = Stopwatch.StartNew();
                var acknowledged = await AcknowledgeOpen(client, admin);
                manifest["acknowledgedAfterPersons"] = acknowledged;
                manifest["acknowledgementsPerSecond"] = Math.Round(acknowledged / acks.Elapsed.TotalSeconds);
                // The ledger's sweep (once a minute) moves its checkpoint past the last events, as on a platform that ran on.
                await Settle(store, TimeSpan.FromSeconds(75));
                await Describe(store, manifest);
            }
            await LocalPostgres.Script(ctx, "stop", dir, port, Database);
            manifest["seedSeconds"] = Math.Round(clock.Elapsed.TotalSeconds);
            var building = CacheOf(ctx) + ".building";
            if (Directory.Exists(building)) Directory.Delete(building, true);
            Directory.CreateDirectory(building);
            await Copy(Path.Combine(dir, "data"), Path.Combine(building, "data"));
            await File.WriteAllTextAsync(Path.Combine(building, "seed.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Directory.Move(building, CacheOf(ctx));
            BenchContext.Log($"history: seeded in {clock.Elapsed.TotalMinutes:0.0} min, kept in {CacheOf(ctx)}: {manifest.ToJsonString()}");
        }
        finally
        {
            await LocalPostgres.Script(ctx, "stop", dir, port, Database);
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The cases, through the batch API; their rate.</summary>
    static async Task<double> Cases(BenchContext ctx, PlatformClient client, string token)
    {
        var cells = ctx.CellIds;
        var now = DateTimeOffset.UtcNow;
        var batches = (Size(ctx) + CaseBatch - 1) / CaseBatch;
        long recorded = 0, failed = 0;
        string? problem = null;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, CaseClients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var b && b < batches)
            {
                var random = new Random(Version * 1_000_003 + b);
                var items = Enumerable.Range(b * CaseBatch, Math.Min(CaseBatch, Size(ctx) - b * CaseBatch)).Select(i =>
                {
                    var hot = random.NextDouble() < 0.3;
                    var cell = hot ? cells[random.Next(cells.Count / HotCellEvery) * HotCellEvery] : cells[random.Next(cells.Count)];
                    var kind = random.NextDouble() switch { < 0.5 => "confirmed", < 0.85 => "suspected", _ => "asymptomatic" };
                    return new JsonObject
                    {
                        ["type"] = "case", ["cellId"] = cell, ["caseId"] = $"hs{Version}-{i}", ["kind"] = kind, ["local"] = random.NextDouble() < 0.8,
                        ["clusterId"] = hot ? $"hc-{cell}" : null, ["occurredAt"] = Past(now, random),
                    };
                }).ToList();
                var outcome = await client.SendBatch(items, token);
                Interlocked.Add(ref recorded, outcome.Recorded + outcome.Repeated);
                Interlocked.Add(ref failed, outcome.Failed);
                if (outcome.FirstProblem is { } p) problem ??= p;
                if (b % 50 == 49) BenchContext.Log($"history seed: {recorded:N0} cases, {recorded / clock.Elapsed.TotalSeconds:N0}/s");
            }
        }));
        var rate = recorded / clock.Elapsed.TotalSeconds;
        BenchContext.Log($"history seed: {recorded:N0} cases in {clock.Elapsed.TotalSeconds:0} s = {rate:N0}/s ({failed} failed{(problem is null ? "" : $": {problem}")})");
        if (failed > Size(ctx) / 100) throw new InvalidOperationException($"{failed} cases refused: {problem}");
        return rate;
    }

    /// <summary>A time in the outbreak's 8 weeks, more often in its middle; at least a day ago.</summary>
    static DateTimeOffset Past(DateTimeOffset now, Random random) =>
        now - TimeSpan.FromDays(1 + (OutbreakDays - 1) * (random.NextDouble() + random.NextDouble()) / 2);

    /// <summary>The persons, through the arrivals import; their rate.</summary>
    static async Task<double> Persons(BenchContext ctx, PlatformClient client, string token)
    {
        var cells = ctx.CellIds;
        var now = DateTimeOffset.UtcNow;
        long imported = 0;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < Size(ctx); start += ImportRows)
        {
            var random = new Random(Version * 2_000_003 + start);
            var rows = Enumerable.Range(start, Math.Min(ImportRows, Size(ctx) - start)).Select(i =>
            {
                // Distinct valid numbers (GB 11643): 17 regions × 1,000 birth days × 1,000 sequence numbers.
                var first17 = $"{310100 + i % 17}{new DateOnly(1960, 1, 1).AddDays(i / 1000):yyyyMMdd}{i % 1000:000}";
                var watched = i % WatchedEvery == 0;
                var (area, risk) = !watched ? ("上海 Shanghai", "low") : i / WatchedEvery % 2 == 0 ? ("湖北 Hubei", "high") : ("广东 Guangdong", "medium");
                var arrived = watched ? now - TimeSpan.FromDays(WatchedWithinDays * random.NextDouble()) : Past(now, random);
                return new ImportWorkload.Row(first17 + ResidentId.CheckCharacter(first17), i % 4 == 0 ? "李, 四" : null, i % 5 == 0 ? "13800000000" : null,
                    area, risk, arrived.AddMinutes(-1), (i % 3) switch { 0 => "rail", 1 => "road", _ => "air" }, "history-seed", $"hs{Version}-{i}",
                    cells[random.Next(cells.Count)]);
            });
            var (answer, _) = await ImportWorkload.Upload(client, token, ImportWorkload.Csv(rows));
            imported += answer["imported"]!.GetValue<int>() + answer["duplicates"]!.GetValue<int>();
            if (answer["errorCount"]!.GetValue<int>() is > 0 and var errors) throw new InvalidOperationException($"{errors} rows refused: {answer["errors"]![0]}");
            BenchContext.Log($"history seed: {imported:N0} persons, {imported / clock.Elapsed.TotalSeconds:N0}/s");
        }
        return imported / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Acknowledges, as an admin through the API, every open alert that has a due time; how many.</summary>
    static async Task<int> AcknowledgeOpen(PlatformClient client, string admin)
    {
        var acknowledged = 0;
        for (long after = 0; ;)
        {
            using var response = await client.Http.SendAsync(client.Request(HttpMethod.Get, $"/api/v1/alerts?status=open&after={after}&limit=5000", admin));
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            if (page.Count == 0) return acknowledged;
            after = page[^1]!["seq"]!.GetValue<long>();
            var due = page.Where(a => a!["dueBy"] is not null).Select(a => a!["id"]!.GetValue<string>()).ToList();
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = AckClients }, async (id, ct) =>
            {
                using var ack = client.Request(HttpMethod.Post, $"/api/v1/alerts/{Uri.EscapeDataString(id)}/ack", admin, new JsonObject { ["note"] = "handled" });
                using var answer = await client.Http.SendAsync(ack, ct);
                if (answer.IsSuccessStatusCode) Interlocked.Increment(ref acknowledged);
            });
            BenchContext.Log($"history seed: {acknowledged:N0} alerts acknowledged (through seq {after:N0})");
        }
    }

    /// <summary>Waits until no event has been appended for <paramref name="quiet"/>.</summary>
    static async Task Settle(NpgsqlDataSource store, TimeSpan quiet)
    {
        var last = -1L;
        var since = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        while (since.Elapsed < quiet && clock.Elapsed < TimeSpan.FromMinutes(30))
        {
            await using var command = store.CreateCommand($"select coalesce(max(seq_id), 0) from {MartenSetup.Schema}.mt_events");
            var seq = (long)(await command.ExecuteScalarAsync())!;
            if (seq != last) (last, since) = (seq, Stopwatch.StartNew());
            await Task.Delay(2_000);
        }
    }

    /// <summary>What the store holds: events by type, database size.</summary>
    static async Task Describe(NpgsqlDataSource store, JsonObject manifest)
    {
        var byType = new JsonObject();
        await using (var command = store.CreateCommand($"select type, count(*) from {MartenSetup.Schema}.mt_events group by type order by 2 desc"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) byType[reader.GetString(0)] = reader.GetInt64(1);
        manifest["events"] = byType.Sum(t => t.Value!.GetValue<long>());
        manifest["eventsByType"] = byType;
        await using var size = store.CreateCommand("select pg_database_size(current_database())");
        manifest["databaseMb"] = (long)(await size.ExecuteScalarAsync())! / 1048576;
    }

    static async Task Copy(string from, string to)
    {
        using var cp = Process.Start(new ProcessStartInfo("cp", ["-a", from, to]) { RedirectStandardError = true })!;
        var err = await cp.StandardError.ReadToEndAsync();
        await cp.WaitForExitAsync();
        if (cp.ExitCode != 0) throw new InvalidOperationException($"cp -a {from} {to} failed: {err}");
    }
}
