using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// A steady load of case reports, each with its own case id, sent by several workers. A worker repeats a report until it
/// is acknowledged (201, or 200 "duplicate" when an earlier attempt was recorded but its answer was lost): the case id
/// makes the repeat idempotent. Every attempt is kept, so the share of failed requests can be measured per period.
/// </summary>
public sealed class ReportLoad
{
    public sealed record Attempt(TimeSpan At, TimeSpan Took, string Outcome)
    {
        public bool Failed => Outcome is not ("201" or "200");
    }

    readonly IReadOnlyList<string> cells;
    readonly Func<int, HttpClient> clientOf;
    readonly string prefix = "c" + Guid.NewGuid().ToString("N")[..6];
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly CancellationTokenSource stopIssuing = new();
    readonly ConcurrentQueue<Attempt> attempts = new();
    Task running = Task.CompletedTask;

    public ReportLoad(IReadOnlyList<string> cells, Func<int, HttpClient> clientOf) => (this.cells, this.clientOf) = (cells, clientOf);

    /// <summary>Case id → cell, for every report the API acknowledged.</summary>
    public ConcurrentDictionary<string, string> Acknowledged { get; } = new();
    /// <summary>Reports given up on (still failing at the deadline): not acknowledged, so they may or may not be stored.</summary>
    public ConcurrentDictionary<string, string> GivenUp { get; } = new();
    public string Prefix => prefix;
    public TimeSpan Now => clock.Elapsed;
    public IReadOnlyCollection<Attempt> Attempts => attempts;

    public void Start(int workers) => running = Task.WhenAll(Enumerable.Range(0, workers).Select(Worker));

    /// <summary>Stops new reports; reports under way keep being retried until acknowledged or the deadline passes.</summary>
    public async Task Stop(TimeSpan retryFor)
    {
        var deadline = clock.Elapsed + retryFor;
        giveUpAt = deadline;
        stopIssuing.Cancel();
        await running;
    }

    TimeSpan giveUpAt = TimeSpan.MaxValue;

    async Task Worker(int worker)
    {
        var http = clientOf(worker);
        for (var i = 0; !stopIssuing.IsCancellationRequested; i++)
        {
            var cell = cells[(worker * 7 + i) % cells.Count];
            var caseId = $"{prefix}-{worker}-{i}";
            var body = new
            {
                caseId, kind = "confirmed", local = i % 2 == 0, clusterId = (string?)null,
                occurredAt = DateTimeOffset.UtcNow.AddHours(-1 - i % 24).ToString("O"),
            };
            while (true)
            {
                var started = clock.Elapsed;
                string outcome;
                try
                {
                    using var response = await http.PostAsJsonAsync($"/api/v1/cells/{cell}/cases", body);
                    outcome = ((int)response.StatusCode).ToString();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    outcome = e is TaskCanceledException ? "timeout" : "connection";
                }
                var attempt = new Attempt(started, clock.Elapsed - started, outcome);
                attempts.Enqueue(attempt);
                if (!attempt.Failed) { Acknowledged[caseId] = cell; break; }
                if (outcome is not ("503" or "502" or "504" or "timeout" or "connection") || clock.Elapsed > giveUpAt)
                {
                    GivenUp[caseId] = cell;
                    break;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>Failed attempts over all attempts started in [from, to).</summary>
    public (int Failed, int Total) Share(TimeSpan from, TimeSpan to)
    {
        var window = attempts.Where(a => a.At >= from && a.At < to).ToList();
        return (window.Count(a => a.Failed), window.Count);
    }

    public IEnumerable<Attempt> Between(TimeSpan from, TimeSpan to) => attempts.Where(a => a.At >= from && a.At < to);

    public static HttpClient Client(Uri baseAddress, string token)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    public static async Task<string> DevToken(Uri web, string role, string? county = null)
    {
        using var http = new HttpClient { BaseAddress = web };
        var issued = await http.PostAsJsonAsync("/api/v1/dev/tokens", new { role, county, lifetimeMinutes = 120 });
        issued.EnsureSuccessStatusCode();
        return (await issued.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["token"]!.GetValue<string>();
    }

    public static bool IsSuccess(HttpStatusCode code) => (int)code is >= 200 and < 300;
}
