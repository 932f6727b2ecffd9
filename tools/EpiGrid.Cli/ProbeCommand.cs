using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Client;
using HdrHistogram;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary>
/// <c>epigrid probe</c>: synthetic end-to-end check of the live path. Reports suspected cases into one cell and
/// measures, for each, the time from the API's acknowledgement to the alert's arrival at a grid worker's
/// connection; then rules the probe cases out again. For test and staging deployments.
/// </summary>
public static class ProbeCommand
{
    static readonly Option<string> Cell = new("--cell") { Description = "The cell to probe (must be registered).", DefaultValueFactory = _ => "330106-001-001" };
    static readonly Option<int> Count = new("--count") { Description = "Reports to send, one after another.", DefaultValueFactory = _ => 200 };
    static readonly Option<int> IntervalMs = new("--interval-ms") { Description = "Pause between reports.", DefaultValueFactory = _ => 20 };
    static readonly Option<int> BackgroundRate = new("--background-rate")
    {
        Description = "Reports per second sent meanwhile through the batch API (mixed cases and travellers over every county); 0: none.",
        DefaultValueFactory = _ => 0,
    };
    static readonly Option<string?> WorkerToken = new("--worker-token") { Description = "A grid worker token for the cell; default: a dev token (local profile)." };

    public static Command Create()
    {
        var command = new Command("probe", "Measure report-acknowledged → alert-received latency (p50/p99) on a live platform.");
        Api.AddTo(command);
        command.Add(Cell);
        command.Add(Count);
        command.Add(IntervalMs);
        command.Add(WorkerToken);
        command.Add(BackgroundRate);
        command.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            var cell = parsed.GetValue(Cell)!;
            var server = new Uri(parsed.GetValue(Api.Url)!);
            using var http = Api.Client(parsed);
            var ingestToken = Api.TokenOf(parsed) ?? await DevToken(http, new { role = "ingest" }, cancellationToken);
            var workerToken = parsed.GetValue(WorkerToken) ?? await DevToken(http, new { role = "grid-worker", cells = new[] { cell } }, cancellationToken);
            http.DefaultRequestHeaders.Authorization = new("Bearer", ingestToken);

            var arrived = new ConcurrentDictionary<string, long>();
            await using var worker = new GridClient(server, () => Task.FromResult<string?>(workerToken));
            worker.AlertReceived += a => { if (a.Subject.TryGetValue("caseId", out var id)) arrived.TryAdd(id, Stopwatch.GetTimestamp()); };
            await worker.StartAsync(cancellationToken);

            var run = Guid.NewGuid().ToString("N")[..8];
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var load = BackgroundLoad.Run(http, parsed.GetValue(BackgroundRate), run, stopLoad.Token);
            await Task.Delay(parsed.GetValue(BackgroundRate) > 0 ? 3000 : 0, cancellationToken);
            var histogram = new LongHistogram(TimeStamp.Seconds(60), 3);
            var lost = 0;
            var ids = new List<string>();
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"Probing {cell}", maxValue: parsed.GetValue(Count));
                for (var i = 0; i < parsed.GetValue(Count); i++)
                {
                    var caseId = $"probe-{run}-{i}";
                    var response = await http.PostAsJsonAsync($"/api/v1/cells/{cell}/cases", new
                    {
                        caseId, kind = "suspected", local = true, clusterId = (string?)null, occurredAt = DateTimeOffset.UtcNow.AddSeconds(-1),
                    }, cancellationToken);
                    var acknowledged = Stopwatch.GetTimestamp();
                    if (!response.IsSuccessStatusCode) return;
                    ids.Add(caseId);
                    var deadline = DateTime.UtcNow.AddSeconds(5);
                    long at;
                    while (!arrived.TryGetValue(caseId, out at) && DateTime.UtcNow < deadline) await Task.Delay(1, cancellationToken);
                    if (arrived.ContainsKey(caseId)) histogram.RecordValue(Math.Max(0, at - acknowledged));
                    else lost++;
                    task.Increment(1);
                    await Task.Delay(parsed.GetValue(IntervalMs), cancellationToken);
                }
            });
            await stopLoad.CancelAsync();
            var (sent, perSecond) = await load;
            foreach (var id in ids)
                await http.PostAsJsonAsync($"/api/v1/cells/{cell}/cases/{id}/status", new { status = "ruled-out", occurredAt = DateTimeOffset.UtcNow }, cancellationToken);

            double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
            var result = new JsonObject
            {
                ["probes"] = histogram.TotalCount, ["lost"] = lost, ["backgroundReports"] = sent, ["backgroundPerSecond"] = Math.Round(perSecond),
                ["p50Ms"] = Math.Round(Ms(50), 2), ["p90Ms"] = Math.Round(Ms(90), 2), ["p99Ms"] = Math.Round(Ms(99), 2),
                ["maxMs"] = Math.Round(histogram.GetMaxValue() * 1000.0 / Stopwatch.Frequency, 2),
            };
            Console.WriteLine(result.ToJsonString());
            return lost == 0 && histogram.TotalCount > 0 ? 0 : 1;
        }));
        return command;
    }

    static async Task<string> DevToken(HttpClient http, object request, CancellationToken cancellationToken)
    {
        var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"No token given and no dev tokens here ({(int)response.StatusCode}): pass --token and --worker-token");
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["token"]!.GetValue<string>();
    }
}
