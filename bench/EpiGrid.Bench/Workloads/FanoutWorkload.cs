using System.Text.Json;
using EpiGrid.Simulator.Runner;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Concurrent SignalR connections held by one web host, all county officials of one county (dev tokens, WebSockets,
/// negotiation skipped), and the time to deliver one county-wide alert to all of them: a local confirmed case in
/// the county raises an urgent alert to <c>county-officials:&lt;code&gt;</c>; timed from the report's acknowledgement
/// to its arrival on every connection. Connections are opened up to the goal (10,000) within a time budget; the
/// largest number held is reported. Measured twice on the same platform, one crowd after the other: over JSON and over
/// MessagePack (issue 18), the order alternating from run to run (odd runs JSON first). On the first 100 connections of
/// each crowd every other push is counted too (cellChanged, countyChanged, ...): the frames an official receives per case.
/// Baseline in the same run, platform stopped: the same number of connections to a bare hub on Kestrel in a process of
/// its own, one alert-sized group message, timed from the broadcast request; over JSON and over MessagePack alike.
/// </summary>
public sealed class FanoutWorkload : IWorkload
{
    const int Goal = 10_000, ConnectConcurrency = 32, Alerts = 3, Sampled = 100;
    const double GoalSeconds = 1;
    /// <summary>The hub's pushes other than the alert timed, counted on the sampled connections.</summary>
    static readonly string[] OtherPushes = ["alertUpdated", "cellChanged", "countyChanged", "provinceChanged", "resumptionChanged"];
    readonly Figures figures = new();

    public string Name => "fanout";

    static TimeSpan ConnectBudget(BenchContext ctx) => TimeSpan.FromSeconds(ctx.Quick ? 90 : 150);

    /// <summary>Both protocols each run, the order alternating: odd runs JSON first, even runs MessagePack first.</summary>
    static bool[] Protocols(int run) => run % 2 == 1 ? [false, true] : [true, false];

    static string Prefix(bool messagePack, string name) => messagePack ? "messagePack" + char.ToUpperInvariant(name[0]) + name[1..] : name;

    public async Task Baseline(BenchContext ctx, int run)
    {
        await using var bare = await BareSignalR.Launch(ctx.HttpPort + 1);
        foreach (var messagePack in Protocols(run))
        {
            await using var crowd = await Crowd.Open(bare.HubUrl, [null], Goal, ConnectBudget(ctx), messagePack);
            using var http = new HttpClient { BaseAddress = bare.BaseAddress };
            var times = new List<double>();
            for (var i = 0; i < Alerts; i++)
            {
                var id = $"bare-{run}-{(messagePack ? "mp" : "json")}-{i}";
                crowd.Expect(id);
                var sent = Stopwatch.GetTimestamp();
                (await http.PostAsync($"/broadcast/{id}", null)).EnsureSuccessStatusCode();
                var (all, delivered, latency) = await crowd.Wait(sent);
                times.Add(all);
                if (i == Alerts - 1)
                {
                    var bareName = messagePack ? "bareMessagePack" : "bare";
                    figures.Add(bareName + "Connections", crowd.Count, "connections");
                    figures.Add(bareName + "AllDeliveredMs", Median(times), "ms");
                    figures.Add(bareName + "DeliveryP99Ms", latency.PercentileMs(99), "ms");
                    figures.Add(bareName + "DeliveredShare", delivered / (double)crowd.Count, "share");
                }
            }
            // As the platform sends a case to its county's officials: a cell's counts and the county's totals, then the
            // alert, each a message of its own to the whole group (the alert timed, from the first message's request).
            var threeFrames = new List<double>();
            for (var i = 0; i < Alerts; i++)
            {
                var id = $"bare3-{run}-{(messagePack ? "mp" : "json")}-{i}";
                crowd.Expect(id);
                var sent = Stopwatch.GetTimestamp();
                (await http.PostAsync($"/broadcast/{id}?before=2", null)).EnsureSuccessStatusCode();
                threeFrames.Add((await crowd.Wait(sent)).AllMs);
            }
            figures.Add((messagePack ? "bareMessagePack" : "bare") + "ThreeFramesAllDeliveredMs", Median(threeFrames), "ms");
            BenchContext.Log($"fanout baseline run {run} ({(messagePack ? "MessagePack" : "JSON")}): {crowd.Count:N0} connections to a bare hub "
                + $"(opened in {crowd.OpenSeconds:0.0} s), one group message to all in {Median(times):0} ms (median of {Alerts}; {string.Join(", ", times.Select(t => t.ToString("0")))}); "
                + $"two other messages then the alert: {Median(threeFrames):0} ms ({string.Join(", ", threeFrames.Select(t => t.ToString("0")))})");
        }
    }

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        using var client = PlatformClient.For(platform.BaseAddress, 8);
        var ingestToken = await client.DevToken("ingest");
        var runId = Guid.NewGuid().ToString("N")[..8];
        var first = true;
        foreach (var messagePack in Protocols(run))
        {
            var protocol = messagePack ? "MessagePack" : "JSON";
            // A county of its own for each protocol (JSON the first, as before MessagePack was measured): each crowd's
            // first case meets a county in the same state, whichever crowd goes first.
            var county = ctx.Counties[messagePack ? 1 : 0].Code;
            var cell = ctx.CellIds.First(id => id.StartsWith(county + "-", StringComparison.Ordinal));
            var tokens = new List<string?>();
            for (var i = 0; i < 20; i++)
                tokens.Add(await LiveClients.DevToken(client, "county-official", county: county, subject: $"bench-fanout-{i}"));
            var hostRssBefore = PlatformUnderTest.RssBytes(platform.WebHost);
            var clientHeapBefore = GC.GetTotalMemory(forceFullCollection: true);

            await using var crowd = await Crowd.Open(new Uri(platform.BaseAddress, "/hubs/grid"), tokens, Goal, ConnectBudget(ctx), messagePack);
            await Task.Delay(2000);
            var hostRss = PlatformUnderTest.RssBytes(platform.WebHost);
            var clientHeap = GC.GetTotalMemory(forceFullCollection: true);
            var times = new List<double>();
            Latency? last = null;
            var deliveredShare = 0.0;
            var frames = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var i = 0; i < Alerts; i++)
            {
                var caseId = $"fanout-{runId}-{(messagePack ? "mp" : "json")}-{i}";
                crowd.Expect(caseId);
                using var request = client.Request(HttpMethod.Post, $"/api/v1/cells/{cell}/cases", ingestToken, new JsonObject
                {
                    ["caseId"] = caseId, ["kind"] = "confirmed", ["local"] = true, ["clusterId"] = null,
                    ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-1),
                });
                using var response = await client.Http.SendAsync(request);
                var acknowledged = Stopwatch.GetTimestamp();
                response.EnsureSuccessStatusCode();
                var (all, delivered, latency) = await crowd.Wait(acknowledged);
                times.Add(all);
                last = latency;
                deliveredShare = delivered / (double)crowd.Count;
                await Task.Delay(1000);
                // Everything the sampled officials received since the report was sent, per connection (the alert included).
                foreach (var (method, count) in crowd.SampledFrames()) frames[method] = frames.GetValueOrDefault(method) + count / (double)Alerts;
            }
            figures.Add(Prefix(messagePack, "connections"), crowd.Count, "connections");
            figures.Add(Prefix(messagePack, "connectSeconds"), crowd.OpenSeconds, "s");
            figures.Add(Prefix(messagePack, "connectFailures"), crowd.Failures, "connections");
            figures.Add(Prefix(messagePack, "allDeliveredMs"), Median(times), "ms");
            figures.Add(Prefix(messagePack, "deliveryP50Ms"), last!.PercentileMs(50), "ms");
            figures.Add(Prefix(messagePack, "deliveryP99Ms"), last.PercentileMs(99), "ms");
            figures.Add(Prefix(messagePack, "deliveredShare"), deliveredShare, "share");
            figures.Add(Prefix(messagePack, "framesPerOfficialPerCase"), frames.Values.Sum(), "frames");
            // Memory is the first crowd's only: a second crowd meets a heap the first one grew.
            if (first)
            {
                figures.Add(Prefix(messagePack, "webHostKbPerConnection"), (hostRss - hostRssBefore) / 1024.0 / Math.Max(1, crowd.Count), "KB");
                figures.Add(Prefix(messagePack, "clientHeapKbPerConnection"), (clientHeap - clientHeapBefore) / 1024.0 / Math.Max(1, crowd.Count), "KB");
            }
            BenchContext.Log($"fanout run {run} ({protocol}{(first ? ", first" : ", second")}): {crowd.Count:N0} county officials connected in {crowd.OpenSeconds:0.0} s ({crowd.Failures} failed); "
                + $"one alert to all in {Median(times):0} ms (median of {Alerts}: {string.Join(", ", times.Select(t => t.ToString("0")))}; last: p50 {last.PercentileMs(50):0} ms, p99 {last.PercentileMs(99):0} ms, "
                + $"{deliveredShare:P1} delivered); web host +{(hostRss - hostRssBefore) / 1048576.0:0} MB; frames per official per case: "
                + string.Join(", ", frames.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value:0.##}")));
            first = false;
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public JsonObject Result()
    {
        var connections = figures["connections"].Median;
        var all = figures["allDeliveredMs"].Median;
        var allMessagePack = figures["messagePackAllDeliveredMs"].Median;
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("connections", "connectSeconds", "connectFailures", "allDeliveredMs", "deliveryP50Ms", "deliveryP99Ms",
                "deliveredShare", "framesPerOfficialPerCase", "webHostKbPerConnection", "clientHeapKbPerConnection",
                "messagePackConnections", "messagePackConnectSeconds", "messagePackConnectFailures", "messagePackAllDeliveredMs",
                "messagePackDeliveryP50Ms", "messagePackDeliveryP99Ms", "messagePackDeliveredShare", "messagePackFramesPerOfficialPerCase",
                "messagePackWebHostKbPerConnection", "messagePackClientHeapKbPerConnection"),
            ["baseline"] = figures.ToJson("bareConnections", "bareAllDeliveredMs", "bareDeliveryP99Ms", "bareDeliveredShare",
                "bareThreeFramesAllDeliveredMs", "bareMessagePackConnections", "bareMessagePackAllDeliveredMs", "bareMessagePackDeliveryP99Ms",
                "bareMessagePackDeliveredShare", "bareMessagePackThreeFramesAllDeliveredMs"),
            ["ratio"] = new JsonObject
            {
                ["allDeliveredToBare"] = Math.Round(all / figures["bareAllDeliveredMs"].Median, 2),
                ["messagePackAllDeliveredToBare"] = Math.Round(allMessagePack / figures["bareAllDeliveredMs"].Median, 2),
                ["messagePackAllDeliveredToBareMessagePack"] = Math.Round(allMessagePack / figures["bareMessagePackAllDeliveredMs"].Median, 2),
                ["messagePackToJson"] = Math.Round(allMessagePack / all, 2),
                ["bareMessagePackToBareJson"] = Math.Round(figures["bareMessagePackAllDeliveredMs"].Median / figures["bareAllDeliveredMs"].Median, 2),
                ["bareThreeFramesToOne"] = Math.Round(figures["bareThreeFramesAllDeliveredMs"].Median / figures["bareAllDeliveredMs"].Median, 2),
                ["connectionsToGoal"] = Math.Round(connections / Goal, 3),
            },
            ["goal"] = $"{Goal:N0} SignalR connections on one web host, one county-wide alert delivered to all within {GoalSeconds:0} s",
            ["met"] = connections >= Goal && all < GoalSeconds * 1000 && figures["deliveredShare"].Values.All(v => v >= 1),
            ["setup"] = $"county officials of one county (20 dev tokens shared round robin), WebSockets without negotiation, {ConnectConcurrency} "
                + "connecting at a time, all in the bench process on the same 2 cores; the alert: a local confirmed case in the county "
                + $"(urgent, to county-officials:<code>), timed from its acknowledgement to the last arrival; median of {Alerts} alerts a run; "
                + "two crowds one after the other on the same platform, JSON (payload read as a JsonElement; officials of the first county) "
                + "and MessagePack (SignalR's protocol as it comes, payload read as a map; officials of the second county), odd runs JSON first, memory figures from the first crowd only; frames per "
                + $"official per case: every push received on the first {Sampled} connections from the report to 1 s after the last arrival; "
                + "baseline: the same number of connections to a bare Kestrel hub in a process of its own, one group message, JSON and MessagePack; "
                + "and two other group messages (a cell's and a county's size) sent just before it, as a case sends them to its officials",
        };
    }

    /// <summary>Many connections, each noting when the expected alert arrived.</summary>
    sealed class Crowd : IAsyncDisposable
    {
        readonly List<HubConnection> connections = [];
        long[] arrivals = [];
        volatile string expected = "";
        int received;
        readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> sampled = new(StringComparer.Ordinal);

        public int Count => connections.Count;
        public int Failures { get; private set; }
        public double OpenSeconds { get; private set; }

        public static async Task<Crowd> Open(Uri hubUrl, IReadOnlyList<string?> tokens, int target, TimeSpan budget, bool messagePack)
        {
            var crowd = new Crowd { arrivals = new long[target] };
            var clock = Stopwatch.StartNew();
            var next = -1;
            var failures = 0;
            await Task.WhenAll(Enumerable.Range(0, ConnectConcurrency).Select(async _ =>
            {
                while (clock.Elapsed < budget && failures < 200 && Interlocked.Increment(ref next) is var i && i < target)
                {
                    var connection = LiveClients.Connection(hubUrl, tokens[i % tokens.Count], messagePack);
                    var slot = i;
                    if (messagePack) connection.On<Dictionary<string, object?>>("alert", alert => crowd.Arrived(slot, alert));
                    else connection.On<JsonElement>("alert", alert => crowd.Arrived(slot, alert));
                    if (slot < Sampled)
                        foreach (var method in OtherPushes)
                            connection.On(method, [messagePack ? typeof(object) : typeof(JsonElement)], _ =>
                            {
                                crowd.sampled.AddOrUpdate(method, 1, (_, n) => n + 1);
                                return Task.CompletedTask;
                            });
                    try
                    {
                        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
                        int held;
                        lock (crowd.connections) { crowd.connections.Add(connection); held = crowd.connections.Count; }
                        if (held % 1000 == 0)
                            BenchContext.Log($"fanout: {held:N0} connections after {clock.Elapsed.TotalSeconds:0.0} s; bench process "
                                + $"{Environment.WorkingSet / 1048576:N0} MB, {Process.GetCurrentProcess().Threads.Count} threads, "
                                + $"{File.ReadLines("/proc/self/maps").Count():N0} memory maps");
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failures);
                        await connection.DisposeAsync();
                    }
                }
            }));
            crowd.OpenSeconds = clock.Elapsed.TotalSeconds;
            crowd.Failures = failures;
            return crowd;
        }

        void Arrived(int slot, JsonElement alert) => Arrived(slot, Stopwatch.GetTimestamp(),
            alert.TryGetProperty("subject", out var subject) && subject.TryGetProperty("caseId", out var id) ? id.GetString() : null);

        /// <summary>The MessagePack crowd's alert, read as SignalR's default resolver reads a map it has no type for.</summary>
        void Arrived(int slot, Dictionary<string, object?> alert) => Arrived(slot, Stopwatch.GetTimestamp(),
            alert.TryGetValue("subject", out var subject) && subject is IDictionary<object, object> fields
                && fields.TryGetValue("caseId", out var id) ? id as string : null);

        /// <summary>An alert arrived at <paramref name="at"/>, naming <paramref name="caseId"/>: the first arrival of the expected one counts.</summary>
        void Arrived(int slot, long at, string? caseId)
        {
            if (slot < Sampled) sampled.AddOrUpdate("alert", 1, (_, n) => n + 1);
            if (caseId is not null && caseId == expected && Interlocked.CompareExchange(ref arrivals[slot], at, 0) == 0)
                Interlocked.Increment(ref received);
        }

        public void Expect(string id)
        {
            Array.Clear(arrivals);
            Volatile.Write(ref received, 0);
            sampled.Clear();
            expected = id;
        }

        /// <summary>Pushes received per sampled connection since <see cref="Expect"/>, by method.</summary>
        public IEnumerable<(string Method, double PerConnection)> SampledFrames() =>
            sampled.Select(p => (p.Key, p.Value / (double)Math.Min(Sampled, Math.Max(1, Count)))).ToList();

        /// <summary>Waits (at most 30 s) until every connection has the alert: the time to the last arrival, how many got it, and each one's latency.</summary>
        public async Task<(double AllMs, int Delivered, Latency Latency)> Wait(long from)
        {
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref received) < Count && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
            var latency = new Latency();
            long lastAt = from;
            foreach (var at in arrivals.Where(a => a != 0))
            {
                latency.Record(from, at);
                lastAt = Math.Max(lastAt, at);
            }
            return (LiveClients.Ms(from, lastAt), (int)latency.Count, latency);
        }

        public async ValueTask DisposeAsync()
        {
            await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) =>
            {
                try { await c.DisposeAsync(); } catch (Exception) { }
            });
        }
    }
}
