using System.Collections.Concurrent;
using EpiGrid.Client;
using EpiGrid.Simulator.Runner;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Report acknowledged → alert received by a grid worker's SignalR client (the typed GridClient), one probe report
/// at a time, under a steady, paced background load of half the highest ingest rate measured by the ingest
/// workload in the same run (the idea of <c>epigrid probe --background-rate</c>). Baselines in the same run, with
/// the platform stopped: a bare SignalR echo round trip (a minimal hub on Kestrel in the bench process) and a bare
/// PostgreSQL commit (single-row insert + commit with Npgsql): the two hops every alert needs at least.
/// </summary>
public sealed class PushWorkload(IngestWorkload ingest) : IWorkload
{
    const double GoalP99Ms = 50;
    const int ProbeIntervalMs = 20, MaxBatchesInFlight = 4;
    readonly Figures figures = new();

    public string Name => "push";

    static int Probes(BenchContext ctx) => ctx.Quick ? 150 : 300;
    static int RoundTrips(BenchContext ctx) => ctx.Quick ? 1000 : 2000;

    /// <summary>Baselines, also read by the colour workload.</summary>
    public Figures Baselines => figures;

    public async Task Baseline(BenchContext ctx, int run)
    {
        await BareHops(ctx, figures);
        BenchContext.Log($"push baselines run {run}: SignalR echo p50 {figures["signalrEchoP50Ms"].Values[^1]:0.00} ms, p99 "
            + $"{figures["signalrEchoP99Ms"].Values[^1]:0.00} ms; PostgreSQL commit p50 {figures["postgresCommitP50Ms"].Values[^1]:0.00} ms, "
            + $"p99 {figures["postgresCommitP99Ms"].Values[^1]:0.00} ms");
    }

    /// <summary>
    /// The two hops every alert needs at least, platform stopped: a bare SignalR echo round trip and a bare PostgreSQL
    /// commit, added to <paramref name="into"/> as signalrEchoP50Ms/P99Ms and postgresCommitP50Ms/P99Ms. Also measured by
    /// the contacts workload itself when push is not in the run.
    /// </summary>
    public static async Task BareHops(BenchContext ctx, Figures into)
    {
        await using (var bare = await BareSignalR.Launch(ctx.HttpPort + 1))
        {
            await using var connection = LiveClients.Connection(bare.HubUrl, null);
            TaskCompletionSource<long>? pending = null;
            long expected = 0;
            connection.On<long>("echo", stamp => { if (stamp == Volatile.Read(ref expected)) pending?.TrySetResult(stamp); });
            await connection.StartAsync();
            var echo = new Latency();
            for (var i = -100; i < RoundTrips(ctx); i++)
            {
                pending = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                var started = Latency.Start();
                Volatile.Write(ref expected, started);
                await connection.SendAsync("Echo", started);
                await pending.Task.WaitAsync(TimeSpan.FromSeconds(10));
                if (i >= 0) echo.Record(started);
            }
            into.Add("signalrEchoP50Ms", echo.PercentileMs(50), "ms");
            into.Add("signalrEchoP99Ms", echo.PercentileMs(99), "ms");
        }

        await using var pg = new NpgsqlConnection(ctx.Database("postgres"));
        await pg.OpenAsync();
        await using (var create = new NpgsqlCommand("drop table if exists push_commits; create table push_commits (id bigserial primary key, data jsonb not null)", pg))
            await create.ExecuteNonQueryAsync();
        var commit = new Latency();
        for (var i = -100; i < RoundTrips(ctx); i++)
        {
            var started = Latency.Start();
            await using var tx = await pg.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand("insert into push_commits (data) values (@data::jsonb)", pg, tx))
            {
                insert.Parameters.AddWithValue("data", """{"caseId":"probe","kind":"suspected","local":true}""");
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
            if (i >= 0) commit.Record(started);
        }
        into.Add("postgresCommitP50Ms", commit.PercentileMs(50), "ms");
        into.Add("postgresCommitP99Ms", commit.PercentileMs(99), "ms");
    }

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        var target = ingest.LastMaxReportsPerSecond > 0 ? ingest.LastMaxReportsPerSecond / 2 : 500;
        var perBatch = Math.Max(1, (int)Math.Round(target / 10));
        using var client = PlatformClient.For(platform.BaseAddress, 16);
        var ingestToken = await client.DevToken("ingest");
        var cell = ctx.CellIds[ctx.CellIds.Count / 2];
        var workerToken = await LiveClients.DevToken(client, "grid-worker", cells: [cell], subject: "bench-push-worker");

        var arrived = new ConcurrentDictionary<string, long>();
        await using var worker = new GridClient(platform.BaseAddress, () => Task.FromResult<string?>(workerToken));
        worker.AlertReceived += a => { if (a.Subject.TryGetValue("caseId", out var id)) arrived.TryAdd(id, Stopwatch.GetTimestamp()); };
        await worker.StartAsync();

        // The background: every 100 ms one batch of a tenth of the target rate (simulated arrivals and cases over the
        // whole province), paced by the clock, at most a few batches in flight.
        var seconds = Probes(ctx) * (ProbeIntervalMs + 40) / 1000.0 + 10;
        var data = new IngestData(ctx, 300 + run, (int)(target * seconds) + perBatch);
        var batches = data.Batches("pb", perBatch, data.Reports.Count);
        using var stop = new CancellationTokenSource();
        long sent = 0;
        var loadClock = Stopwatch.StartNew();
        var load = Task.Run(async () =>
        {
            using var inFlight = new SemaphoreSlim(MaxBatchesInFlight);
            var running = new List<Task>();
            for (var tick = 0; tick < batches.Count && !stop.IsCancellationRequested; tick++)
            {
                var wait = TimeSpan.FromMilliseconds(tick * 100) - loadClock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                if (!await inFlight.WaitAsync(0)) continue; // behind: skip this tick rather than burst
                var (body, count) = batches[tick];
                running.Add(Task.Run(async () =>
                {
                    try { Interlocked.Add(ref sent, (await client.SendBatch(body, count, ingestToken)).Recorded); }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                    finally { inFlight.Release(); }
                }));
            }
            await Task.WhenAll(running);
        });
        await Task.Delay(3000);

        var push = new Latency();
        var ack = new Latency();
        var lost = 0;
        var runId = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < Probes(ctx); i++)
        {
            var caseId = $"probe-{runId}-{i}";
            using var request = client.Request(HttpMethod.Post, $"/api/v1/cells/{cell}/cases", ingestToken, new JsonObject
            {
                ["caseId"] = caseId, ["kind"] = "suspected", ["local"] = true, ["clusterId"] = null,
                ["occurredAt"] = DateTimeOffset.UtcNow.AddSeconds(-1),
            });
            var sentAt = Latency.Start();
            using var response = await client.Http.SendAsync(request);
            var acknowledged = Stopwatch.GetTimestamp();
            ack.Record(sentAt);
            if (!response.IsSuccessStatusCode) { lost++; continue; }
            var deadline = Stopwatch.StartNew();
            long at;
            while (!arrived.TryGetValue(caseId, out at) && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(1);
            if (arrived.TryGetValue(caseId, out at)) push.Record(acknowledged, at);
            else lost++;
            await Task.Delay(ProbeIntervalMs);
        }
        await stop.CancelAsync();
        await load;
        var backgroundRate = Interlocked.Read(ref sent) / loadClock.Elapsed.TotalSeconds;

        figures.Add("pushP50Ms", push.PercentileMs(50), "ms");
        figures.Add("pushP99Ms", push.PercentileMs(99), "ms");
        figures.Add("reportAckP50Ms", ack.PercentileMs(50), "ms");
        figures.Add("reportAckP99Ms", ack.PercentileMs(99), "ms");
        figures.Add("backgroundReportsPerSecond", backgroundRate, "reports/s");
        figures.Add("backgroundTargetPerSecond", target, "reports/s");
        figures.Add("lostProbes", lost, "probes");
        BenchContext.Log($"push run {run}: ack → alert p50 {push.PercentileMs(50):0.0} ms, p99 {push.PercentileMs(99):0.0} ms ({push.Count} probes, {lost} lost); "
            + $"report ack p99 {ack.PercentileMs(99):0.0} ms; background {backgroundRate:N0} reports/s (target {target:N0})");
    }

    public JsonObject Result()
    {
        var p99 = figures["pushP99Ms"].Median;
        var floor = figures["signalrEchoP99Ms"].Median + figures["postgresCommitP99Ms"].Median;
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("pushP50Ms", "pushP99Ms", "reportAckP50Ms", "reportAckP99Ms", "backgroundReportsPerSecond",
                "backgroundTargetPerSecond", "lostProbes"),
            ["baseline"] = figures.ToJson("signalrEchoP50Ms", "signalrEchoP99Ms", "postgresCommitP50Ms", "postgresCommitP99Ms"),
            ["ratio"] = new JsonObject
            {
                ["pushP99ToEchoP99"] = Math.Round(p99 / figures["signalrEchoP99Ms"].Median, 2),
                ["pushP99ToEchoPlusCommitP99"] = Math.Round(p99 / floor, 2),
                ["pushP50ToEchoPlusCommitP50"] = Math.Round(figures["pushP50Ms"].Median
                    / (figures["signalrEchoP50Ms"].Median + figures["postgresCommitP50Ms"].Median), 2),
            },
            ["goal"] = $"report acknowledged → alert received by a SignalR client: p99 under {GoalP99Ms} ms",
            ["met"] = p99 < GoalP99Ms && figures["lostProbes"].Values.All(v => v == 0),
            ["setup"] = "one suspected case at a time into one cell (single-report API, ingest token), the alert received by a grid worker's "
                + $"GridClient; {ProbeIntervalMs} ms between probes; background: batch API every 100 ms at half the ingest workload's "
                + $"highest rate of the same run (at most {MaxBatchesInFlight} batches in flight); baselines with the platform stopped: "
                + "bare SignalR echo (Kestrel hub in the bench process, WebSockets) and Npgsql single-row insert + commit",
        };
    }
}
