using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EpiGrid.Cli;

/// <summary>
/// A steady load for the probe: every 100 ms one batch of rate/10 reports over the seeded cells of every county
/// (70% low-risk travellers, 20% suspected, 10% confirmed cases), paced by the clock, bounded by cancellation.
/// </summary>
static class BackgroundLoad
{
    public static async Task<(long Sent, double PerSecond)> Run(HttpClient http, int perSecond, string run, CancellationToken stop)
    {
        if (perSecond <= 0) return (0, 0);
        var counties = (await http.GetFromJsonAsync<JsonArray>("/api/v1/counties", stop))!.Select(c => c!["code"]!.GetValue<string>()).ToList();
        var random = new Random(2020);
        var perBatch = Math.Max(1, perSecond / 10);
        long sent = 0, n = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var tick = 1; !stop.IsCancellationRequested; tick++)
            {
                var items = Enumerable.Range(0, perBatch).Select(_ => Item(random, counties, $"{run}-{n++}")).ToList();
                var response = await http.PostAsJsonAsync("/api/v1/reports:batch", new { items }, stop);
                if (response.IsSuccessStatusCode) sent += items.Count;
                var wait = TimeSpan.FromMilliseconds(tick * 100) - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stop);
            }
        }
        catch (OperationCanceledException) { }
        return (sent, sent / clock.Elapsed.TotalSeconds);
    }

    static object Item(Random random, List<string> counties, string id)
    {
        var cell = $"{counties[random.Next(counties.Count)]}-001-{random.Next(1, 31):D3}";
        var at = DateTimeOffset.UtcNow.AddMinutes(-random.Next(1, 600));
        return random.NextDouble() switch
        {
            < 0.7 => new { type = "traveller", cellId = cell, travellerId = "bg-" + id, originArea = "Shanghai", originRisk = "low", arrivedAt = at },
            < 0.9 => (object)new { type = "case", cellId = cell, caseId = "bg-" + id, kind = "suspected", local = true, occurredAt = at },
            _ => new { type = "case", cellId = cell, caseId = "bg-" + id, kind = "confirmed", local = random.Next(2) == 0, occurredAt = at },
        };
    }
}
