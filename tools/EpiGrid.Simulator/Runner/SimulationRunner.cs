using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EpiGrid.Simulator.Outbreak;

namespace EpiGrid.Simulator.Runner;

public sealed record RunnerOptions
{
    /// <summary>Wall-clock seconds per simulated day; 86,400 or more runs in real time.</summary>
    public double DaySeconds { get; init; } = 4;
    public int BatchSize { get; init; } = 1000;
    /// <summary>Concurrent senders. Each cell always goes through the same one, so a case precedes its status changes.</summary>
    public int Lanes { get; init; } = 4;
}

/// <summary>
/// Plays an outbreak against a live platform through the batch API, on an accelerated or real clock. Times
/// are never in the future: accelerated, the outbreak's days are the days that end now; in real time it starts now.
/// </summary>
public sealed class SimulationRunner(PlatformClient client, RunnerOptions options, TextWriter log)
{
    long recorded, repeated, failed, skipped;
    string? firstProblem;

    public async Task Run(IReadOnlyList<SimReport> reports, int days, string token, CancellationToken ct)
    {
        var realTime = options.DaySeconds >= 86_400;
        var start = DateTimeOffset.UtcNow;
        var items = new ApiItems($"r{start.ToUnixTimeSeconds():x}", realTime ? start : start - TimeSpan.FromDays(days));
        var speed = 86_400 / options.DaySeconds;
        var lanes = Enumerable.Range(0, options.Lanes).Select(_ => Channel.CreateUnbounded<JsonObject>()).ToArray();
        var senders = lanes.Select(lane => Send(lane.Reader, token, ct)).ToArray();
        log.WriteLine($"Simulator: {reports.Count:N0} reports over {days} days, a day every {options.DaySeconds:0.#} s, ids {items.RunPrefix}-*");

        var clock = Stopwatch.StartNew();
        var next = 0;
        var day = 0;
        try
        {
            while (next < reports.Count)
            {
                var simulated = clock.Elapsed * speed;
                for (; next < reports.Count && reports[next].At <= simulated; next++)
                {
                    if (items.For(reports[next]) is not { } item) { skipped++; continue; }
                    lanes[(int)((uint)reports[next].CellId.GetHashCode() % (uint)lanes.Length)].Writer.TryWrite(item);
                }
                for (; day < (int)(simulated.TotalDays) && day < days; day++) await Progress(day + 1, token, ct);
                if (next < reports.Count)
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp((reports[next].At - simulated).TotalMilliseconds / speed, 20, 1000)), ct);
            }
        }
        finally
        {
            foreach (var lane in lanes) lane.Writer.TryComplete();
            await Task.WhenAll(senders);
        }
        for (; day < days; day++) await Progress(day + 1, token, ct);
        log.WriteLine($"Simulator: done in {clock.Elapsed.TotalSeconds:0} s. {Totals()}");
    }

    async Task Send(ChannelReader<JsonObject> lane, string token, CancellationToken ct)
    {
        var batch = new List<JsonObject>(options.BatchSize);
        while (await lane.WaitToReadAsync(ct))
        {
            while (batch.Count < options.BatchSize && lane.TryRead(out var item)) batch.Add(item);
            try
            {
                var outcome = await client.SendBatch(batch, token, ct);
                Interlocked.Add(ref recorded, outcome.Recorded);
                Interlocked.Add(ref repeated, outcome.Repeated);
                Interlocked.Add(ref failed, outcome.Failed);
                if (outcome.FirstProblem is { } p) firstProblem ??= p;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                Interlocked.Add(ref failed, batch.Count);
                firstProblem ??= e.Message;
            }
            batch.Clear();
        }
    }

    async Task Progress(int day, string token, CancellationToken ct)
    {
        var colours = "";
        try
        {
            var counts = await client.ColourCounts(token, ct);
            colours = string.Join(" ", new[] { "red", "orange", "yellow", "blue", "green" }.Select(c => $"{c} {counts.GetValueOrDefault(c)}"));
        }
        catch (HttpRequestException e) { colours = "province unavailable: " + e.Message; }
        log.WriteLine($"Simulator: day {day,2} sent. {Totals()} | counties: {colours}");
    }

    string Totals() =>
        $"recorded {Interlocked.Read(ref recorded):N0}, repeats {Interlocked.Read(ref repeated):N0}, failed {Interlocked.Read(ref failed):N0}"
        + (skipped > 0 ? $", no API yet {skipped:N0}" : "")
        + (firstProblem is null ? "" : $" (first failure: {Truncate(firstProblem)})");

    static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
