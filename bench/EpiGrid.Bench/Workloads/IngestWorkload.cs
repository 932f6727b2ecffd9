using EpiGrid.Simulator.Runner;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Reports acknowledged (hence committed: the API answers after the commit) per second through the batch API and
/// the single-report API, against raw COPY and Marten's own append of the same rows.
/// </summary>
public sealed class IngestWorkload : IWorkload
{
    const int BatchSize = 1000, BatchClients = 4, SingleClients = 64, MartenSessions = 8;
    readonly Figures figures = new();

    public string Name => "ingest";

    /// <summary>The higher of the batch and single-report rates of the latest run: the push workload's background load is half of it.</summary>
    public double LastMaxReportsPerSecond { get; private set; }

    static int Rows(BenchContext ctx) => ctx.Quick ? 30_000 : 100_000;
    static TimeSpan SingleDuration(BenchContext ctx) => TimeSpan.FromSeconds(ctx.Quick ? 8 : 20);

    public async Task Baseline(BenchContext ctx, int run)
    {
        var data = new IngestData(ctx, 100 + run, Rows(ctx));
        using var store = await IngestBaselines.Marten(ctx);
        var copy = await IngestBaselines.RawCopy(ctx, data, data.Reports.Count);
        figures.Add("rawCopyRowsPerSecond", copy, "rows/s");

        var (batched, saves) = await IngestBaselines.MartenBatched(store, data, data.Reports.Count, BatchSize, writers: 2);
        figures.Add("martenBatchedEventsPerSecond", batched, "events/s");
        figures.Add("martenBatchedSaveP50Ms", saves.PercentileMs(50), "ms");
        figures.Add("martenBatchedSaveP99Ms", saves.PercentileMs(99), "ms");

        var (single, one) = await IngestBaselines.MartenOneEventPerSave(store, data, SingleDuration(ctx) / 2, MartenSessions);
        figures.Add("martenOneEventPerSaveEventsPerSecond", single, "events/s");
        figures.Add("martenOneEventPerSaveP50Ms", one.PercentileMs(50), "ms");
        figures.Add("martenOneEventPerSaveP99Ms", one.PercentileMs(99), "ms");
        BenchContext.Log($"ingest baselines run {run}: raw COPY {copy:N0} rows/s; Marten {BatchSize}/save {batched:N0} events/s; "
            + $"one event/save ({MartenSessions} sessions) {single:N0} events/s");
    }

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        var data = new IngestData(ctx, 200 + run, Rows(ctx));
        using var client = PlatformClient.For(platform.BaseAddress, SingleClients * 2);
        var token = await client.DevToken("ingest");

        foreach (var (body, count) in data.Batches("wb", BatchSize, 2 * BatchSize)) await client.SendBatch(body, count, token); // warm-up
        var (batchRate, batchLatency, failed) = await SendBatches(client, token, data.Batches("b", BatchSize, data.Reports.Count), TimeSpan.MaxValue);
        figures.Add("batchApiReportsPerSecond", batchRate, "reports/s");
        figures.Add("batchApiRequestP50Ms", batchLatency.PercentileMs(50), "ms");
        figures.Add("batchApiRequestP99Ms", batchLatency.PercentileMs(99), "ms");
        BenchContext.Log($"ingest run {run}: batch API {batchRate:N0} reports/s ({BatchSize} a request, {BatchClients} clients; "
            + $"p50 {batchLatency.PercentileMs(50):0} ms, p99 {batchLatency.PercentileMs(99):0} ms a request; {failed} failed)");

        var (singleRate, singleLatency, singleFailed) = await Singles(client, token, data.Singles("s", data.Reports.Count), SingleDuration(ctx));
        figures.Add("singleApiReportsPerSecond", singleRate, "reports/s");
        LastMaxReportsPerSecond = Math.Max(batchRate, singleRate);
        figures.Add("singleApiP50Ms", singleLatency.PercentileMs(50), "ms");
        figures.Add("singleApiP99Ms", singleLatency.PercentileMs(99), "ms");
        BenchContext.Log($"ingest run {run}: single-report API {singleRate:N0} reports/s ({SingleClients} clients; "
            + $"p50 {singleLatency.PercentileMs(50):0.0} ms, p99 {singleLatency.PercentileMs(99):0.0} ms; {singleFailed} failed)");
    }

    /// <summary>Load for a profiler: single reports (or batches) against a running platform for a bounded time.</summary>
    public static async Task Load(Uri url, TimeSpan duration, bool batches, IReadOnlyList<County> counties)
    {
        var ctx = new BenchContext
        {
            Quick = true, PostgresServer = "", Artifacts = "", WorkDirectory = "", HttpPort = url.Port, SiloPort = 0, GatewayPort = 0,
            Counties = counties,
        };
        var data = new IngestData(ctx, Environment.TickCount, 100_000);
        using var client = PlatformClient.For(url, SingleClients * 2);
        var token = await client.DevToken("ingest");
        if (batches)
        {
            var (batchRate, batchLatency, batchFailed) = await SendBatches(client, token, data.Batches("lb", BatchSize, data.Reports.Count), duration);
            BenchContext.Log($"load: batch API {batchRate:N0} reports/s ({BatchClients} clients), p50 {batchLatency.PercentileMs(50):0} ms, "
                + $"p99 {batchLatency.PercentileMs(99):0} ms a request, {batchFailed} failed");
            return;
        }
        var (rate, latency, failed) = await Singles(client, token, data.Singles("ls", data.Reports.Count), duration);
        BenchContext.Log($"load: single-report API {rate:N0} reports/s, p50 {latency.PercentileMs(50):0.0} ms, p99 {latency.PercentileMs(99):0.0} ms, {failed} failed");
    }

    /// <summary>
    /// Batches, <see cref="BatchClients"/> requests in flight, until all are answered or <paramref name="duration"/> has
    /// passed: reports recorded a second, each request's latency, items failed.
    /// </summary>
    static async Task<(double Rate, Latency Latency, long Failed)> SendBatches(
        PlatformClient client, string token, List<(byte[] Body, int Count)> batches, TimeSpan duration)
    {
        var latency = new Latency();
        long recorded = 0, failed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, BatchClients).Select(async _ =>
        {
            while (clock.Elapsed < duration && Interlocked.Increment(ref next) is var i && i < batches.Count)
            {
                var started = Latency.Start();
                var outcome = await client.SendBatch(batches[i].Body, batches[i].Count, token);
                latency.Record(started);
                Interlocked.Add(ref recorded, outcome.Recorded);
                Interlocked.Add(ref failed, outcome.Failed);
            }
        }));
        return (recorded / clock.Elapsed.TotalSeconds, latency, failed);
    }

    /// <summary>Many clients, each sending one report at a time and waiting for its answer, for a bounded time.</summary>
    public static async Task<(double Rate, Latency Latency, long Failed)> Singles(
        PlatformClient client, string token, List<(string Path, byte[] Body)> requests, TimeSpan duration)
    {
        foreach (var (path, body) in requests.TakeLast(200)) await Post(client, token, path, body); // warm-up
        var latency = new Latency();
        long ok = 0, failed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, SingleClients).Select(async _ =>
        {
            while (clock.Elapsed < duration && Interlocked.Increment(ref next) is var i && i < requests.Count - 200)
            {
                var started = Latency.Start();
                var success = await Post(client, token, requests[i].Path, requests[i].Body);
                latency.Record(started);
                Interlocked.Increment(ref success ? ref ok : ref failed);
            }
        }));
        return (ok / clock.Elapsed.TotalSeconds, latency, failed);
    }

    /// <summary>
    /// One report every 1/<paramref name="perSecond"/> s, whether or not the last has been answered (a steady arrival of
    /// reports, as grid workers send them), for <paramref name="duration"/> or until <paramref name="stop"/>; the latency of each.
    /// </summary>
    /// <param name="into">Record into this histogram (several paced segments of one condition), else a new one.</param>
    internal static async Task<Latency> Paced(PlatformClient client, string token, List<(string Path, byte[] Body)> requests, int perSecond,
        TimeSpan duration, CancellationToken stop = default, Latency? into = null)
    {
        var latency = into ?? new Latency();
        var sent = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests.Count && clock.Elapsed < duration && !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
                try { await Task.Delay(due - clock.Elapsed, stop); } catch (OperationCanceledException) { break; }
            var (path, body) = requests[i];
            sent.Add(Task.Run(async () =>
            {
                var started = Latency.Start();
                if (!await Post(client, token, path, body)) throw new InvalidOperationException($"A single report was refused: {path}");
                latency.Record(started);
            }));
        }
        await Task.WhenAll(sent);
        return latency;
    }

    /// <summary>One report on its single-report endpoint; whether it was accepted.</summary>
    internal static async Task<bool> Post(PlatformClient client, string token, string path, byte[] body)
    {
        using var request = client.Request(HttpMethod.Post, path, token);
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        using var response = await client.Http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    public JsonObject Result()
    {
        double Ratio(string a, string b) => Math.Round(figures[a].Median / figures[b].Median, 3);
        var batchRatio = Ratio("batchApiReportsPerSecond", "martenBatchedEventsPerSecond");
        var singleRatio = Ratio("singleApiReportsPerSecond", "martenOneEventPerSaveEventsPerSecond");
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("batchApiReportsPerSecond", "batchApiRequestP50Ms", "batchApiRequestP99Ms",
                "singleApiReportsPerSecond", "singleApiP50Ms", "singleApiP99Ms"),
            ["baseline"] = figures.ToJson("rawCopyRowsPerSecond", "martenBatchedEventsPerSecond", "martenBatchedSaveP50Ms",
                "martenBatchedSaveP99Ms", "martenOneEventPerSaveEventsPerSecond", "martenOneEventPerSaveP50Ms", "martenOneEventPerSaveP99Ms"),
            ["ratio"] = new JsonObject
            {
                ["batchApiToMartenBatched"] = batchRatio,
                ["singleApiToMartenOneEventPerSave"] = singleRatio,
                ["batchApiToRawCopy"] = Ratio("batchApiReportsPerSecond", "rawCopyRowsPerSecond"),
            },
            ["goal"] = "batch API at least 50% of Marten's batched rate; single-report API at least 5 times Marten's one-event-a-save rate",
            ["met"] = batchRatio >= 0.5 && singleRatio >= 5,
            ["goals"] = new JsonObject { ["batchApi"] = batchRatio >= 0.5, ["singleApi"] = singleRatio >= 5 },
            ["setup"] = $"{BatchSize} items a batch request, {BatchClients} batch clients; {SingleClients} single-report clients; "
                + $"Marten batched: {BatchSize} events a save, 2 saves in flight (the group commit's writers); one event a save: {MartenSessions} sessions",
        };
    }
}
