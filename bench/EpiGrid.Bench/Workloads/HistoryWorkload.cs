using System.Collections.Concurrent;
using System.Globalization;
using EpiGrid.Client;
using EpiGrid.Simulator.Runner;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Issue 18: a restart in a long outbreak. Each run starts the platform twice: on an empty store (the seeded province, no
/// outbreak: the baseline) and on a large history (<see cref="HistorySeed"/>: 1,000,000 cases and 1,000,000 persons, quick
/// 100,000 of each, seeded once and cached in bench/.artifacts/history-seed-&lt;version&gt;-&lt;size&gt;/; delete that folder to
/// seed again). Each time: start to ready (the silo's process start until the web host's /health/ready answers), the
/// silo's RSS at ready and 60 s later (quick 30 s), and its peak since the process started (the kernel's high-water mark,
/// so the start's burst before ready counts); right after ready, a county's first answer (the
/// county of the probe cell, with history) and, at the same time, a grid worker of the probe cell connecting with the
/// typed client (its catch-up from sequence 0, as a phone new to the cell); then one suspected case reported in that cell
/// (single-report API): from the POST to the alert at the worker's client. The goal: the silo's RSS with the large
/// history within 1.5 × the empty store's (at the end of the window). Runs after the shared platform has stopped, on the
/// same ports; the large store on a PostgreSQL of its own (a fresh copy of the cache each run). Both silos export their
/// metrics (Observability:MetricsPort, about 20 MB of RSS each) so that the managed heap and the activations can tell the
/// history's data from the collector's slack.
/// </summary>
public sealed class HistoryWorkload : IStandaloneWorkload
{
    const double GoalRssRatio = 1.5;
    static readonly string[] Measured =
    [
        "startToReadySeconds", "siloRssAtReadyMb", "siloRssSettledMb", "siloRssPeakMb", "countyFirstAnswerMs", "countySecondAnswerMs",
        "workerConnectedMs", "workerCaughtUpAlerts", "caseSentAfterReadyMs", "caseAckMs", "firstAlertMs", "alertsLost",
        "managedHeapAtReadyMb", "managedHeapSettledMb", "activationsAtReady", "activationsSettled",
    ];
    readonly Figures figures = new();
    JsonObject? seed;

    public string Name => "history";

    static TimeSpan Window(BenchContext ctx) => TimeSpan.FromSeconds(ctx.Quick ? 30 : 60);

    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;

    public Task Measure(BenchContext ctx, PlatformUnderTest platform, int run) => Task.CompletedTask;

    public async Task MeasureAlone(BenchContext ctx, int run)
    {
        seed = await HistorySeed.Ensure(ctx); // the first run without a cache seeds it (not measured)
        // The silo's own metrics (Prometheus): its managed heap and activations, to tell what the RSS holds.
        var metricsPort = LocalPostgres.FreePort();
        var metrics = new Dictionary<string, string> { ["Observability__MetricsPort"] = metricsPort.ToString() };
        await using (var empty = await PlatformUnderTest.Start(ctx.OnServer(ctx.PostgresServer, metrics), run))
            await Measure(ctx, empty, "empty", run, metricsPort);

        var dir = Path.Combine(ctx.WorkDirectory, $"history-{run}");
        var port = LocalPostgres.FreePort();
        await HistorySeed.CopyTo(ctx, dir);
        await LocalPostgres.Script(ctx, "start", dir, port, HistorySeed.Database);
        try
        {
            await using var large = await PlatformUnderTest.StartOn(ctx.OnServer(LocalPostgres.Server(port), metrics), run, HistorySeed.Database,
                $"history-large-{run}", TimeSpan.FromMinutes(15));
            await Measure(ctx, large, "large", run, metricsPort);
        }
        finally
        {
            await LocalPostgres.Script(ctx, "stop", dir, port, HistorySeed.Database);
            Directory.Delete(dir, true);
        }
    }

    async Task Measure(BenchContext ctx, PlatformUnderTest platform, string store, int run, int metricsPort)
    {
        var rssAtReady = platform.SiloRssBytes();
        var atReady = await SiloMetrics(ctx, metricsPort, $"history-{store}-{run}-ready");
        var window = Window(ctx);
        var sampling = Task.Run(async () =>
        {
            var (peak, last) = (rssAtReady, rssAtReady);
            while (Stopwatch.GetElapsedTime(platform.ReadyAt) < window)
            {
                await Task.Delay(500);
                last = platform.SiloRssBytes();
                peak = Math.Max(peak, last);
            }
            return (Peak: peak, Last: last);
        });

        var cell = HistorySeed.ProbeCell(ctx);
        var county = cell[..6];
        using var client = PlatformClient.For(platform.BaseAddress, 16);
        var (ingest, official) = (await client.DevToken("ingest"), await client.DevToken("province-official"));
        var workerToken = await LiveClients.DevToken(client, "grid-worker", cells: [cell], subject: "bench-history-worker");

        var arrived = new ConcurrentDictionary<string, long>();
        var caughtUp = 0;
        await using var worker = new GridClient(platform.BaseAddress, () => Task.FromResult<string?>(workerToken));
        worker.AlertReceived += a =>
        {
            if (a.Subject.TryGetValue("caseId", out var id)) arrived.TryAdd(id, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref caughtUp);
        };
        // The county and the worker's connection at once, right after ready, as a restart meets them.
        var connecting = Task.Run(async () => { var s = Latency.Start(); await worker.StartAsync(); return LiveClients.Ms(s, Stopwatch.GetTimestamp()); });
        var firstAnswer = await CountyAnswerMs(client, official, county);
        var connectedMs = await connecting;
        var caughtUpAlerts = Volatile.Read(ref caughtUp);
        var secondAnswer = await CountyAnswerMs(client, official, county);

        var caseId = $"history-probe-{run}-{store}-{Guid.NewGuid():N}"[..40];
        using var request = client.Request(HttpMethod.Post, $"/api/v1/cells/{cell}/cases", ingest, new JsonObject
        {
            ["caseId"] = caseId, ["kind"] = "suspected", ["local"] = true, ["clusterId"] = null, ["occurredAt"] = DateTimeOffset.UtcNow.AddSeconds(-1),
        });
        var sentAt = Latency.Start();
        using var response = await client.Http.SendAsync(request);
        var acknowledged = Stopwatch.GetTimestamp();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The probe case answered {(int)response.StatusCode}");
        var deadline = Stopwatch.StartNew();
        long at;
        while (!arrived.TryGetValue(caseId, out at) && deadline.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(1);
        var lost = arrived.ContainsKey(caseId) ? 0 : 1;
        var (sampledPeak, settled) = await sampling;
        var peak = Math.Max(sampledPeak, platform.SiloPeakRssBytes());
        var atEnd = await SiloMetrics(ctx, metricsPort, $"history-{store}-{run}-settled");

        void Add(string name, double value, string unit) => figures.Add($"{name}_{store}", value, unit);
        Add("startToReadySeconds", platform.StartToReady.TotalSeconds, "s");
        Add("siloRssAtReadyMb", rssAtReady / 1048576.0, "MB");
        Add("siloRssSettledMb", settled / 1048576.0, "MB");
        Add("siloRssPeakMb", peak / 1048576.0, "MB");
        Add("countyFirstAnswerMs", firstAnswer, "ms");
        Add("countySecondAnswerMs", secondAnswer, "ms");
        Add("workerConnectedMs", connectedMs, "ms");
        Add("workerCaughtUpAlerts", caughtUpAlerts, "alerts");
        Add("caseSentAfterReadyMs", LiveClients.Ms(platform.ReadyAt, sentAt), "ms");
        Add("caseAckMs", LiveClients.Ms(sentAt, acknowledged), "ms");
        if (lost == 0) Add("firstAlertMs", LiveClients.Ms(sentAt, at), "ms");
        Add("alertsLost", lost, "alerts");
        if (atReady.HeapMb is { } heapAtReady) Add("managedHeapAtReadyMb", heapAtReady, "MB");
        if (atEnd.HeapMb is { } heapSettled) Add("managedHeapSettledMb", heapSettled, "MB");
        if (atReady.Activations is { } activationsAtReady) Add("activationsAtReady", activationsAtReady, "grains");
        if (atEnd.Activations is { } activationsSettled) Add("activationsSettled", activationsSettled, "grains");
        BenchContext.Log($"history run {run}, {store} store: ready in {platform.StartToReady.TotalSeconds:0.0} s; silo RSS {rssAtReady / 1048576.0:0} MB at ready, "
            + $"{settled / 1048576.0:0} MB {window.TotalSeconds:0} s later (peak {peak / 1048576.0:0}); county {county} first answer {firstAnswer:0} ms "
            + $"(then {secondAnswer:0} ms); worker connected and caught up in {connectedMs:0} ms ({caughtUpAlerts} alerts); case sent "
            + $"{LiveClients.Ms(platform.ReadyAt, sentAt):0} ms after ready, acknowledged in {LiveClients.Ms(sentAt, acknowledged):0} ms, "
            + (lost == 0 ? $"its alert at the worker after {LiveClients.Ms(sentAt, at):0} ms" : "its alert never arrived (2 min)")
            + $"; managed heap after the last GC {atReady.HeapMb:0} MB at ready, {atEnd.HeapMb:0} MB at the end; activations {atReady.Activations} → {atEnd.Activations}");
    }

    /// <summary>
    /// The silo's managed heap after its last collection (all generations) and its grain activations, from its Prometheus
    /// endpoint (<c>Observability:MetricsPort</c>); the whole scrape is kept in the work directory. Null when not exported.
    /// </summary>
    static async Task<(double? HeapMb, double? Activations)> SiloMetrics(BenchContext ctx, int port, string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text;
        try { text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return (null, null); }
        await File.WriteAllTextAsync(Path.Combine(ctx.WorkDirectory, name + ".metrics.txt"), text);
        double? Sum(string metric)
        {
            var values = text.Split('\n').Where(l => l.StartsWith(metric + "{") || l.StartsWith(metric + " "))
                .Select(l => l[(l.Contains('}') ? l.LastIndexOf('}') + 1 : l.IndexOf(' '))..].Trim().Split(' ')[0])
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
            return values.Count == 0 ? null : values.Sum();
        }
        return (Sum("dotnet_gc_last_collection_heap_size_bytes") / 1048576.0, Sum("orleans_catalog_activations"));
    }

    static async Task<double> CountyAnswerMs(PlatformClient client, string token, string county)
    {
        var started = Latency.Start();
        using var response = await client.Http.SendAsync(client.Request(HttpMethod.Get, $"/api/v1/counties/{county}", token));
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET county {county} answered {(int)response.StatusCode}");
        return LiveClients.Ms(started, Stopwatch.GetTimestamp());
    }

    public JsonObject Result()
    {
        double Median(string name) => figures[name].Median;
        var ratio = new JsonObject();
        foreach (var name in Measured.Where(n => figures.Has($"{n}_empty") && figures.Has($"{n}_large") && Median($"{n}_empty") > 0))
            ratio[$"{name}LargeToEmpty"] = Math.Round(Median($"{name}_large") / Median($"{name}_empty"), 2);
        var rssRatio = Median("siloRssSettledMb_large") / Median("siloRssSettledMb_empty");
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson(Measured.Select(n => $"{n}_large").ToArray()),
            ["baseline"] = figures.ToJson(Measured.Select(n => $"{n}_empty").ToArray()),
            ["ratio"] = ratio,
            ["goal"] = $"silo RSS with the large history within {GoalRssRatio} × the empty store's (each at the end of the window after ready)",
            ["met"] = rssRatio <= GoalRssRatio,
            ["seed"] = seed?.DeepClone(),
            ["setup"] = "each run: the platform started on the seeded province with no outbreak (empty, the baseline), then on the cached large "
                + "history (a copy of the cache on a PostgreSQL of its own); start to ready: silo process start until /health/ready answers (polled "
                + "every 250 ms); silo RSS at ready, at the end of a window of 60 s (quick 30 s) after ready (settled) and its peak since the process "
                + "started (VmHWM of /proc/<pid>/status, the start before ready included); right after ready, GET /api/v1/counties/{code} of the probe cell's county (first and second answer) while a grid "
                + "worker's GridClient for the probe cell connects and catches up from sequence 0; then one suspected case into that cell "
                + "(single-report API, ingest token): POST → its alert handed out by the GridClient; the silo's managed heap after its last "
                + "collection and its activations, at ready and at the end of the window, from its Prometheus endpoint",
        };
    }
}
