using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Security;

/// <summary>
/// The hub's methods get hostile arguments, aimed at real alerts (a confirmed case's, and a real person's visit task):
/// each is refused with a message meant for the caller (a HubException), never an unexpected server error; the
/// connection stays usable; and another caller's reports, check-ins and alerts, flowing all along, all commit.
/// </summary>
public sealed class HostileHubCallsTests(PushApp app) : IClassFixture<PushApp>
{
    static readonly string[] Strings = ["", " ", "x", "case:330782-001-001:nope", "' or 1=1--", "\u0000\u0001", "\uD800", new string('a', 12_000), "中文", "../../etc"];

    [Fact]
    public async Task Hostile_arguments_to_every_hub_method_are_refused_politely_and_no_one_elses_write_fails()
    {
        const string cell = "330782-401-001", otherCell = "330782-401-002";
        await app.RegisterCell(cell);
        await app.RegisterCell(otherCell);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "hostile-target", occurredAt: EpiGridApp.Start.AddMinutes(-10))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var person = await Arrive(ingest, cell, 1, "hostile-person");
        var realAlerts = new[] { $"case:{cell}:hostile-target" };
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        List<string> mine = [];
        await Eventually.True(async () =>
        {
            mine = (await worker.Connection.InvokeAsync<JsonArray>("catchUp", 0L)).Select(a => a!["id"]!.GetValue<string>()).ToList();
            return mine.Contains(realAlerts[0]) && mine.Any(id => id.StartsWith("visit:", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(15), "the case alert and the person's visit task");
        realAlerts = [.. realAlerts, mine.First(id => id.StartsWith("visit:", StringComparison.Ordinal))];

        // Someone else's work flows all along: cases (each an urgent alert) and a real person's check-ins.
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var reported = new ConcurrentBag<string>();
        var otherPerson = await Arrive(ingest, otherCell, 2, "hostile-other");
        using var stop = new CancellationTokenSource();
        var flow = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await app.ReportCase(ingest, otherCell, $"flow-{i}", occurredAt: EpiGridApp.Start.AddMinutes(-5));
                statuses.Add(response.StatusCode);
                reported.Add($"case:{otherCell}:flow-{i}");
                statuses.Add((await ingest.PostAsJsonAsync($"/api/v1/persons/{otherPerson}/check-ins", new
                {
                    occurredAt = app.Clock.GetUtcNow().AddSeconds(-1 - i).ToString("O"), temperature = 36.5, symptoms = Array.Empty<string>(),
                })).StatusCode);
            }
        });

        var unexpected = new List<string>();
        async Task Call(string method, params object?[] args)
        {
            try { await worker.Connection.InvokeCoreAsync<JsonNode?>(method, args); }
            // SignalR prefixes even a deliberate refusal with "An unexpected error occurred"; what tells them apart is
            // whose exception it was: a HubException is the hub's own answer, anything else escaped it.
            catch (HubException e) when (e.Message.Contains("HubException:") || !e.Message.Contains("unexpected error", StringComparison.OrdinalIgnoreCase)) { }
            catch (Exception e) { unexpected.Add($"{method}({string.Join(", ", args.Select(a => a?.ToString()?.Length > 30 ? "long" : a))}): {e.Message}"); }
        }

        foreach (var s in Strings)
        {
            await Call("ack", s, null);
            await Call("ack", s, s);
            foreach (var alert in realAlerts)
                // Only notes the rule refuses (a lone surrogate reaches the hub as U+FFFD from this client: HostileAckNotesTests sends it raw).
                if (s.Length > 500 || s.Any(char.IsControl)) await Call("ack", alert, s);
            await Call("join", s);
        }
        foreach (var seq in new[] { long.MinValue, -1L, 0L, long.MaxValue }) await Call("catchUp", seq);
        await Call("catchUp", "not a number");
        await Call("ack", 12, 34);
        await Call("ack", realAlerts[0], 34);
        await Call("noSuchMethod", "x");
        await stop.CancelAsync();
        await flow;

        unexpected.ShouldBeEmpty(string.Join(Environment.NewLine, unexpected.Take(5)));
        worker.Connection.State.ShouldBe(HubConnectionState.Connected);
        statuses.ShouldAllBe(s => s == HttpStatusCode.Created, "every report and check-in of the other caller committed");
        reported.ShouldNotBeEmpty();
        using var admin = app.Admin();
        await Eventually.True(async () =>
        {
            var listed = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?cell={otherCell}&limit=5000"))!
                .Select(a => a!["id"]!.GetValue<string>()).ToHashSet();
            return reported.All(listed.Contains);
        }, TimeSpan.FromSeconds(15), "every flowing report's alert was raised");
        foreach (var alert in realAlerts)
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{Uri.EscapeDataString(alert)}"))!["alert"]!["status"]!.GetValue<string>()
                .ShouldBe("open", $"{alert} was left alone by the hostile calls");
        (await worker.Connection.InvokeAsync<JsonObject>("ack", realAlerts[1], "visited"))["status"]!.GetValue<string>().ShouldBe("acknowledged");
    }

    async Task<string> Arrive(HttpClient ingest, string cell, int n, string record) => (await (await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
    {
        idNumber = ResidentIdTests.Make(420106, new DateOnly(1988, 5, 6), n), origin = new { area = "武汉 Wuhan", risk = "high" },
        arrivedAt = app.Clock.GetUtcNow().AddHours(-2).ToString("O"), mode = "rail", source = "rail", sourceRecordId = record,
    })).Body())["personRef"]!.GetValue<string>();
}
