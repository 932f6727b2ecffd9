using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// Issue 14: a NUL in an acknowledgement note reached PostgreSQL (jsonb refuses "\u0000") and failed every write
/// sharing its transaction, alerts and counties included. A real alert, raised by a real case report, is acknowledged
/// over a real SignalR connection with hostile notes while other reports flow.
/// </summary>
public sealed class HostileAckNotesTests(PushApp app) : IClassFixture<PushApp>
{
    /// <summary>As JSON text, escapes and all: a lone surrogate cannot be written by .NET's JSON writer (it sends U+FFFD).</summary>
    static readonly (string Name, string Json)[] HostileNotes =
    [
        ("NUL", "\"seen\\u0000\""),
        ("lone surrogate", "\"seen \\ud800 there\""),
        ("100 KB", $"\"{new string('x', 100 * 1024)}\""),
    ];

    [Fact]
    public async Task Hostile_notes_are_refused_naming_the_note_and_every_other_report_and_alert_commits()
    {
        const string cell = "330782-411-001";
        var others = Enumerable.Range(1, 6).Select(i => $"330782-411-{i + 1:000}").ToList();
        await app.RegisterCell(cell);
        foreach (var c in others) await app.RegisterCell(c);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "note-target", occurredAt: EpiGridApp.Start.AddMinutes(-10))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var workerToken = app.Token(Roles.GridWorker, cells: cell);
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, workerToken);
        var alertId = $"case:{cell}:note-target";
        await Eventually.True(async () => (await worker.Connection.InvokeAsync<JsonArray>("catchUp", 0L))
            .Any(a => a!["id"]!.GetValue<string>() == alertId), TimeSpan.FromSeconds(10));

        // Other reports flow all along: each is a cell write and, being a confirmed case, an alert on the urgent writer.
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var reported = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var flow = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var c = others[i % others.Count];
                var caseId = $"flow-{i}";
                var response = await app.ReportCase(ingest, c, caseId, occurredAt: EpiGridApp.Start.AddMinutes(-5));
                statuses.Add(response.StatusCode);
                reported.Add($"case:{c}:{caseId}");
            }
        });

        var answers = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var (name, note) in HostileNotes)
            {
                var completion = await RawHubCall.Invoke(app.BaseAddress, workerToken, "ack", $"\"{alertId}\",{note}");
                answers.Add($"{name}: {completion["error"]?.GetValue<string>() ?? "no error: " + completion.ToJsonString()[..Math.Min(200, completion.ToJsonString().Length)]}");
            }
            // And through the .NET client, as a phone app would send them (the NUL and the long note survive its JSON writer).
            var viaClient = await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync<JsonObject>("ack", alertId, "seen\u0000"));
            answers.Add($"client NUL: {viaClient.Message}");
            viaClient = await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync<JsonObject>("ack", alertId, new string('x', 100 * 1024)));
            answers.Add($"client 100 KB: {viaClient.Message}");
        }
        // The flow must have overlapped the hostile calls for more than a handful of reports before it stops.
        await Eventually.True(() => Task.FromResult(reported.Count > 5), TimeSpan.FromSeconds(30), "reports flowing beside the hostile notes");
        await stop.CancelAsync();
        await flow;

        answers.ShouldAllBe(a => a.Contains("Invalid argument 'note'"), string.Join(Environment.NewLine, answers.Distinct()));
        worker.Connection.State.ShouldBe(HubConnectionState.Connected);
        statuses.ShouldAllBe(s => s == HttpStatusCode.Created);
        reported.Count.ShouldBeGreaterThan(5);
        // Every alert of the flowing reports is in the ledger, and the hostile notes left the target open.
        using var admin = app.Admin();
        await Eventually.True(async () =>
        {
            var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/alerts?county=330782&limit=5000"))!
                .Select(a => a!["id"]!.GetValue<string>()).ToHashSet();
            return reported.All(listed.Contains);
        }, TimeSpan.FromSeconds(10));
        var target = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{Uri.EscapeDataString(alertId)}");
        target!["alert"]!["status"]!.GetValue<string>().ShouldBe("open");

        // A proper note still goes through, trimmed, and is recorded.
        var acknowledged = await worker.Connection.InvokeAsync<JsonObject>("ack", alertId, "  checked the household  ");
        acknowledged["status"]!.GetValue<string>().ShouldBe("acknowledged");
        acknowledged["note"]!.GetValue<string>().ShouldBe("checked the household");
    }

    [Theory]
    [InlineData("join")]
    [InlineData("ack")]
    public async Task A_NUL_in_any_string_argument_is_refused_naming_that_argument(string method)
    {
        const string cell = "330782-412-001";
        await app.RegisterCell(cell);
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        var argument = method == "join" ? "group" : "alertId";
        object?[] arguments = method == "join" ? [$"cell:{cell}\u0000"] : [$"case:{cell}:x\u0000", null];
        var refused = await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeCoreAsync<JsonNode?>(method, arguments));
        refused.Message.ShouldContain($"'{argument}'");
    }

    [Fact]
    public async Task Over_HTTP_the_same_note_rule_answers_400_naming_the_note()
    {
        const string cell = "330782-413-001";
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "http-note", occurredAt: EpiGridApp.Start.AddMinutes(-10))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var alertId = $"case:{cell}:http-note";
        using var worker = app.As(Roles.GridWorker, cells: cell);
        await Eventually.True(async () => (await worker.GetAsync($"/api/v1/alerts/{Uri.EscapeDataString(alertId)}")).IsSuccessStatusCode, TimeSpan.FromSeconds(10));
        foreach (var (_, note) in HostileNotes)
        {
            var response = await worker.PostAsync($"/api/v1/alerts/{Uri.EscapeDataString(alertId)}/ack",
                new StringContent($$"""{"note":{{note}}}""", System.Text.Encoding.UTF8, "application/json"));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Body())["errors"]!.AsObject().Select(e => e.Key).ShouldContain(k => k.Contains("note", StringComparison.OrdinalIgnoreCase));
        }
    }
}
