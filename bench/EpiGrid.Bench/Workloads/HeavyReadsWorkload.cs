using EpiGrid.Simulator.Runner;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Issue 20: a grid worker's single report while an auditor exports the province's whole history. The platform runs on a
/// PostgreSQL primary with a synchronous standby of its own (deploy/local/postgres.sh), twice each run: the history's
/// reads on the primary (ConnectionStrings:MartenHistory unset), then on the standby (prefer-standby). Each time: single
/// reports at a steady 100 a second alone and while exports of every event run back to back, in alternating segments;
/// p50 and p99 of each. The figure is p99 during the exports over p99 alone; the goal, under 1.2 with the history on the standby.
/// On one 2-core machine both servers share the cores with the platform, so the standby takes the export's database
/// work off the primary but not off the machine: the figure measures the database's share, not a second machine's relief.
/// Runs after the shared platform has stopped (it needs the ports), on servers of its own.
/// </summary>
public sealed class HeavyReadsWorkload : IStandaloneWorkload
{
    const double Goal = 1.2;
    const int PerSecond = 100;
    readonly Figures figures = new();
    /// <summary>The exports' pace the platform ran with: the default unless --platform-env set it.</summary>
    string exportPace = "";

    public string Name => "heavyReads";

    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;

    public Task Measure(BenchContext ctx, PlatformUnderTest platform, int run) => Task.CompletedTask;

    public async Task MeasureAlone(BenchContext ctx, int run)
    {
        exportPace = ctx.PlatformEnvironment.GetValueOrDefault("HeavyReads__Export__RowsPerSecond") is { } set
            ? $"{set} (set by --platform-env)" : "the default, 20,000 rows/s";
        var dir = Path.Combine(ctx.WorkDirectory, $"heavy-reads-{run}");
        var (primaryPort, standbyPort) = (LocalPostgres.FreePort(), LocalPostgres.FreePort());
        await LocalPostgres.Script(ctx, "start", Path.Combine(dir, "primary"), primaryPort, "postgres");
        try
        {
            await LocalPostgres.Script(ctx, "standby", Path.Combine(dir, "standby"), standbyPort, primaryPort.ToString());
            var server = LocalPostgres.Server(primaryPort);
            var history = $"Host=127.0.0.1:{standbyPort},127.0.0.1:{primaryPort};Target Session Attributes=prefer-standby;Username=postgres;"
                + $"Database={PlatformUnderTest.DatabaseOf(run)};Maximum Pool Size=10";
            foreach (var (where, environment) in new[] { ("primary", new Dictionary<string, string>()), ("standby", new() { ["ConnectionStrings__MartenHistory"] = history }) })
            {
                await using var platform = await PlatformUnderTest.Start(ctx.OnServer(server, environment), run);
                var (alone, during, exports) = await Measure(ctx, platform, run, where);
                figures.Add($"p99AloneMs_{where}", alone.PercentileMs(99), "ms");
                figures.Add($"p99DuringExportMs_{where}", during.PercentileMs(99), "ms");
                figures.Add($"p50AloneMs_{where}", alone.PercentileMs(50), "ms");
                figures.Add($"p50DuringExportMs_{where}", during.PercentileMs(50), "ms");
                figures.Add($"p99Ratio_{where}", during.PercentileMs(99) / alone.PercentileMs(99), "×");
                figures.Add($"exportEventsPerSecond_{where}", exports, "events/s");
                BenchContext.Log($"heavyReads run {run}, history on the {where}: single reports p50 {alone.PercentileMs(50):0.0} → {during.PercentileMs(50):0.0} ms, "
                    + $"p99 {alone.PercentileMs(99):0.0} → {during.PercentileMs(99):0.0} ms during exports ({exports:N0} events/s exported)");
            }
        }
        finally
        {
            await LocalPostgres.Script(ctx, "stop", Path.Combine(dir, "standby"), standbyPort, "postgres");
            await LocalPostgres.Script(ctx, "stop", Path.Combine(dir, "primary"), primaryPort, "postgres");
            // Both servers' data (2.5 GB a run): the work directory keeps only the logs, as after the history workload.
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Single reports at a steady rate, alone and while exports run back to back, in <see cref="Segments"/> alternating
    /// segments of each (so that a disturbance of the machine, or the platform warming up, falls on both conditions
    /// rather than on one); the exports' rate while they ran.
    /// </summary>
    async Task<(Latency Alone, Latency During, double ExportEventsPerSecond)> Measure(BenchContext ctx, PlatformUnderTest platform, int run, string where)
    {
        var segment = TimeSpan.FromSeconds((ctx.Quick ? 10 : 20) / (double)Segments);
        using var client = PlatformClient.For(platform.BaseAddress, 64);
        var ingest = await client.DevToken("ingest");
        var auditor = await client.DevToken("auditor");
        var perSegment = (int)(PerSecond * segment.TotalSeconds) + 10;
        var data = new IngestData(ctx, 7_000 + run, perSegment * Segments * 2 + 400);
        var singles = data.Singles($"h{where[0]}", data.Reports.Count);
        foreach (var (path, body) in singles.TakeLast(200)) await IngestWorkload.Post(client, ingest, path, body); // warm-up
        var (alone, during) = (new Latency(), new Latency());
        long exported = 0;
        var exporting = TimeSpan.Zero;
        for (var i = 0; i < Segments; i++)
        {
            List<(string, byte[])> Next(int k) => singles.Skip((2 * i + k) * perSegment).Take(perSegment).ToList();
            await IngestWorkload.Paced(client, ingest, Next(0), PerSecond, segment, into: alone);

            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var exports = Task.Run(() => ExportBackToBack(platform, auditor, () => Interlocked.Increment(ref exported), stop.Token));
            await Task.Delay(TimeSpan.FromSeconds(1)); // the export under way
            await IngestWorkload.Paced(client, ingest, Next(1), PerSecond, segment, into: during);
            await stop.CancelAsync();
            try { await exports; } catch (OperationCanceledException) { }
            exporting += clock.Elapsed;
        }
        if (exported == 0) throw new InvalidOperationException("No export ran beside the reports");
        return (alone, during, exported / exporting.TotalSeconds);
    }

    /// <summary>Segments of each condition a run alternates between.</summary>
    const int Segments = 4;

    /// <summary><c>GET /api/v1/audit/export</c> of every event as an auditor, one after the other until stopped, counting the lines.</summary>
    static async Task ExportBackToBack(PlatformUnderTest platform, string auditor, Action line, CancellationToken stop)
    {
        using var exportClient = PlatformClient.For(platform.BaseAddress, 2);
        exportClient.Http.Timeout = TimeSpan.FromMinutes(5);
        while (!stop.IsCancellationRequested)
        {
            using var request = exportClient.Request(HttpMethod.Get, "/api/v1/audit/export", auditor);
            using var response = await exportClient.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(stop);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(stop) is not null) line();
        }
    }

    public JsonObject Result()
    {
        double Median(string name) => Math.Round(figures[name].Median, 3);
        var onStandby = Median("p99Ratio_standby");
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("p99AloneMs_standby", "p99DuringExportMs_standby", "p50AloneMs_standby", "p50DuringExportMs_standby",
                "exportEventsPerSecond_standby", "p99Ratio_standby"),
            ["baseline"] = figures.ToJson("p99AloneMs_primary", "p99DuringExportMs_primary", "p50AloneMs_primary", "p50DuringExportMs_primary",
                "exportEventsPerSecond_primary", "p99Ratio_primary"),
            ["ratio"] = new JsonObject { ["p99DuringExportToAloneHistoryOnStandby"] = onStandby, ["p99DuringExportToAloneHistoryOnPrimary"] = Median("p99Ratio_primary") },
            ["goal"] = $"single-report p99 while a province-wide export runs, over p99 alone, under {Goal} with the history read from the standby",
            ["met"] = onStandby < Goal,
            ["setup"] = $"a PostgreSQL primary with a synchronous standby of the workload's own; single reports at {PerSecond}/s (open loop) alone and while "
                + $"GET /api/v1/audit/export (every event, NDJSON, as an auditor) runs back to back, {Segments} alternating segments of each, at the platform's pace for exports "
                + $"(HeavyReads:Export:RowsPerSecond: {exportPace}); the platform started twice a run: history on the primary "
                + "(the baseline), then ConnectionStrings:MartenHistory on the standby (prefer-standby); one machine: the servers share its cores",
        };
    }
}
