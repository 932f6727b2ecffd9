using EpiGrid.Simulator.Runner;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Memory of the silo with every seeded cell active, against the same silo idle (just started: counties and
/// province active, no cell), and the time to activate them all through the public API (GET of each cell).
/// </summary>
public sealed class FootprintWorkload : IWorkload
{
    const double GoalKbPerCell = 4;
    readonly Figures figures = new();

    public string Name => "footprint";

    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = platform.SiloRssBytes();
        using var client = PlatformClient.For(platform.BaseAddress);
        var token = await client.DevToken("admin");
        var failures = 0;
        var latency = new Latency();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ctx.CellIds, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (cellId, ct) =>
        {
            var started = Latency.Start();
            using var response = await client.Http.SendAsync(client.Request(HttpMethod.Get, $"/api/v1/cells/{cellId}", token), ct);
            latency.Record(started);
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var active = platform.SiloRssBytes();
        var perCellKb = (active - idle) / 1024.0 / ctx.CellIds.Count;

        figures.Add("idleRssMb", idle / 1048576.0, "MB");
        figures.Add("activeRssMb", active / 1048576.0, "MB");
        figures.Add("kbPerCellAboveIdle", perCellKb, "KB");
        figures.Add("activationSeconds", seconds, "s");
        figures.Add("activationsPerSecond", ctx.CellIds.Count / seconds, "cells/s");
        figures.Add("activationP99Ms", latency.PercentileMs(99), "ms");
        BenchContext.Log($"footprint run {run}: idle {idle / 1048576.0:0} MB, {ctx.CellIds.Count:N0} cells active {active / 1048576.0:0} MB"
            + $" → {perCellKb:0.00} KB/cell; activated in {seconds:0.0} s ({failures} failed)");
        if (failures > 0) throw new InvalidOperationException($"{failures} cells could not be read");
    }

    public JsonObject Result()
    {
        var perCell = figures["kbPerCellAboveIdle"].Median;
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("activeRssMb", "kbPerCellAboveIdle", "activationSeconds", "activationsPerSecond", "activationP99Ms"),
            ["baseline"] = new JsonObject { ["idleHost"] = figures.ToJson("idleRssMb") },
            ["ratio"] = new JsonObject { ["kbPerCellAboveIdle"] = Math.Round(perCell, 2) },
            ["goal"] = $"under {GoalKbPerCell} KB per cell above idle (RSS of the silo)",
            ["met"] = perCell < GoalKbPerCell,
        };
    }
}
