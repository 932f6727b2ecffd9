using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using EpiGrid.Simulator.Runner;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Event → county colour change pushed: counties that are green (no confirmed case) get one local confirmed case
/// each, one county at a time, and a province official's SignalR connection times the acknowledgement of that
/// report to the first <c>countyChanged</c> of that county whose default colour is no longer green (one new
/// confirmed case within 14 days is enough under zhejiang-5). Runs on the fresh platform before ingest, so every
/// county starts green. Baseline: the push workload's bare hops of the same run (SignalR echo + PostgreSQL commit).
/// </summary>
public sealed class ColourWorkload(PushWorkload push) : IWorkload
{
    const double GoalP99Ms = 250;
    readonly Figures figures = new();

    public string Name => "colour";

    static int CountiesPerRun(BenchContext ctx) => ctx.Quick ? 40 : 80;

    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        using var client = PlatformClient.For(platform.BaseAddress, 8);
        var ingestToken = await client.DevToken("ingest");
        var officialToken = await LiveClients.DevToken(client, "province-official", subject: "bench-colour-official");

        var turned = new ConcurrentDictionary<string, long>();
        var evaluatedAt = new ConcurrentDictionary<string, (DateTimeOffset Evaluated, DateTimeOffset Arrived)>();
        await using var official = LiveClients.Connection(new Uri(platform.BaseAddress, "/hubs/grid"), officialToken);
        official.On<JsonElement>("countyChanged", county =>
        {
            var at = Stopwatch.GetTimestamp();
            if (county.TryGetProperty("colour", out var colour) && colour.GetString() is { } c && c != "green"
                && turned.TryAdd(county.GetProperty("code").GetString()!, at)
                && county.TryGetProperty("evaluatedAt", out var evaluated))
                evaluatedAt[county.GetProperty("code").GetString()!] = (evaluated.GetDateTimeOffset(), DateTimeOffset.UtcNow);
        });
        await official.StartAsync();

        using var list = client.Request(HttpMethod.Get, "/api/v1/counties", officialToken);
        using var listed = await client.Http.SendAsync(list);
        listed.EnsureSuccessStatusCode();
        var green = (await listed.Content.ReadFromJsonAsync<JsonArray>())!
            .Where(c => c!["colour"]?.GetValue<string>() == "green").Select(c => c!["code"]!.GetValue<string>()).ToHashSet();
        var firstCell = ctx.CellIds.GroupBy(id => id[..6]).ToDictionary(g => g.Key, g => g.First());
        var counties = ctx.Counties.Select(c => c.Code).Where(code => green.Contains(code) && firstCell.ContainsKey(code))
            .Take(CountiesPerRun(ctx)).ToList();

        var latency = new Latency();
        var toEvaluation = new Latency();
        var evaluationToArrival = new Latency();
        var missed = 0;
        var runId = Guid.NewGuid().ToString("N")[..8];
        foreach (var code in counties)
        {
            using var request = client.Request(HttpMethod.Post, $"/api/v1/cells/{firstCell[code]}/cases", ingestToken, new JsonObject
            {
                ["caseId"] = $"colour-{runId}-{code}", ["kind"] = "confirmed", ["local"] = true, ["clusterId"] = null,
                ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            using var response = await client.Http.SendAsync(request);
            var acknowledged = Stopwatch.GetTimestamp();
            var acknowledgedAt = DateTimeOffset.UtcNow;
            if (!response.IsSuccessStatusCode) { missed++; continue; }
            var deadline = Stopwatch.StartNew();
            long at;
            while (!turned.TryGetValue(code, out at) && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(1);
            if (turned.TryGetValue(code, out at)) latency.Record(acknowledged, at);
            else missed++;
            // Where the time goes (wall clocks of one machine): acknowledgement → the county's evaluation (its
            // coalescing delay) and evaluation → arrival (recording the colour change, push hub, web host, SignalR).
            if (evaluatedAt.TryGetValue(code, out var e))
            {
                toEvaluation.Record(0, (long)((e.Evaluated - acknowledgedAt).TotalSeconds * Stopwatch.Frequency));
                evaluationToArrival.Record(0, (long)((e.Arrived - e.Evaluated).TotalSeconds * Stopwatch.Frequency));
            }
            await Task.Delay(50);
        }

        figures.Add("colourP50Ms", latency.PercentileMs(50), "ms");
        figures.Add("colourP99Ms", latency.PercentileMs(99), "ms");
        figures.Add("colourMaxMs", latency.MaxMs, "ms");
        figures.Add("ackToEvaluationP50Ms", toEvaluation.PercentileMs(50), "ms");
        figures.Add("ackToEvaluationP99Ms", toEvaluation.PercentileMs(99), "ms");
        figures.Add("evaluationToArrivalP50Ms", evaluationToArrival.PercentileMs(50), "ms");
        figures.Add("evaluationToArrivalP99Ms", evaluationToArrival.PercentileMs(99), "ms");
        figures.Add("countiesTurned", latency.Count, "counties");
        figures.Add("missed", missed, "counties");
        BenchContext.Log($"colour run {run}: ack → countyChanged (new colour) p50 {latency.PercentileMs(50):0.0} ms, p99 {latency.PercentileMs(99):0.0} ms, "
            + $"max {latency.MaxMs:0.0} ms over {latency.Count} of {counties.Count} green counties ({missed} missed); ack → evaluation p50 "
            + $"{toEvaluation.PercentileMs(50):0.0} ms, evaluation → arrival p50 {evaluationToArrival.PercentileMs(50):0.0} ms, p99 {evaluationToArrival.PercentileMs(99):0.0} ms");
    }

    public JsonObject Result()
    {
        var p99 = figures["colourP99Ms"].Median;
        var floor = push.Baselines["signalrEchoP99Ms"].Median + push.Baselines["postgresCommitP99Ms"].Median;
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("colourP50Ms", "colourP99Ms", "colourMaxMs", "countiesTurned", "missed",
                "ackToEvaluationP50Ms", "ackToEvaluationP99Ms", "evaluationToArrivalP50Ms", "evaluationToArrivalP99Ms"),
            ["baseline"] = push.Baselines.ToJson("signalrEchoP99Ms", "postgresCommitP99Ms"),
            ["ratio"] = new JsonObject { ["colourP99ToEchoPlusCommitP99"] = Math.Round(p99 / floor, 2) },
            ["goal"] = $"event → county colour change pushed: p99 under {GoalP99Ms} ms",
            ["met"] = p99 < GoalP99Ms && figures["missed"].Values.All(v => v == 0),
            ["setup"] = "fresh platform, no load; one local confirmed case into the first cell of each green county, one county at a time "
                + "(single-report API); a province official's hub connection (WebSockets) waits for that county's countyChanged with a "
                + "colour other than green; baseline: the push workload's bare SignalR echo and PostgreSQL commit p99 of the same run",
        };
    }
}
