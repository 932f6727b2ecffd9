using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.People;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// Persons arriving from a high-risk area two days ago (each owes a visit, and the day after arrival has ended without
/// a check-in: a missed day), every other one checking in with fever (an urgent alert). Every request is retried
/// through the fault (idempotent: a source record id, a check-in's time) until acknowledged or the deadline passes.
/// </summary>
public sealed class PersonAlertLoad(IReadOnlyList<string> cells, HttpClient http)
{
    readonly string run = Guid.NewGuid().ToString("N")[..6];
    readonly CancellationTokenSource stopIssuing = new();
    readonly Stopwatch clock = Stopwatch.StartNew();
    Task running = Task.CompletedTask;
    TimeSpan giveUpAt = TimeSpan.MaxValue;

    /// <summary>Acknowledged arrivals: person reference → cell.</summary>
    public ConcurrentDictionary<string, string> Persons { get; } = new();
    /// <summary>Acknowledged check-ins with fever: the person and the check-in's time.</summary>
    public ConcurrentBag<(string PersonRef, DateTimeOffset At)> FeverCheckIns { get; } = [];
    public ConcurrentBag<string> GivenUp { get; } = [];
    public int Failed;
    public int Requests;

    public void Start(int workers) => running = Task.WhenAll(Enumerable.Range(0, workers).Select(Worker));

    public async Task Stop(TimeSpan retryFor)
    {
        giveUpAt = clock.Elapsed + retryFor;
        stopIssuing.Cancel();
        await running;
    }

    async Task Worker(int worker)
    {
        for (var i = 0; !stopIssuing.IsCancellationRequested; i++)
        {
            var cell = cells[(worker * 7 + i) % cells.Count];
            var idNumber = ResidentIdTests.Make(420106, new DateOnly(1970, 1, 1).AddDays(worker * 40 + i / 1000), i % 1000 + 1);
            var arrival = await Send($"arrival {run}-{worker}-{i}", () => http.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
            {
                idNumber, origin = new { area = "武汉 Wuhan", risk = "high" }, arrivedAt = DateTimeOffset.UtcNow.AddHours(-50).ToString("O"),
                mode = "rail", source = "rail", sourceRecordId = $"chaos-{run}-{worker}-{i}",
            }));
            if (arrival is null) continue;
            var personRef = arrival["personRef"]!.GetValue<string>();
            Persons[personRef] = cell;
            if (i % 2 == 1) continue;
            // Whole milliseconds: the time is the check-in's identity, sent again unchanged on a retry.
            var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (await Send($"check-in {personRef}", () => http.PostAsJsonAsync($"/api/v1/persons/{personRef}/check-ins",
                    new { occurredAt = at.ToString("O"), temperature = 38.6, symptoms = new[] { "fever" } })) is not null)
                FeverCheckIns.Add((personRef, at));
            await Task.Delay(100);
        }
    }

    /// <summary>The answer once acknowledged (2xx); null when refused for good or still failing at the deadline.</summary>
    async Task<JsonObject?> Send(string what, Func<Task<HttpResponseMessage>> request)
    {
        while (true)
        {
            Interlocked.Increment(ref Requests);
            string outcome;
            try
            {
                using var response = await request();
                if (response.IsSuccessStatusCode) return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                outcome = ((int)response.StatusCode).ToString();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcome = e is TaskCanceledException ? "timeout" : "connection";
            }
            Interlocked.Increment(ref Failed);
            if (outcome is not ("503" or "502" or "504" or "timeout" or "connection") || clock.Elapsed > giveUpAt)
            {
                GivenUp.Add($"{what}: {outcome}");
                return null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
