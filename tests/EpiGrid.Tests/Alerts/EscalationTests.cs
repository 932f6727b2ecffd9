using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Alerts;

public sealed class EscalationTests(EscalationApp app) : IClassFixture<EscalationApp>
{
    [Fact]
    public async Task An_alert_left_unacknowledged_past_its_due_time_is_escalated_and_the_acknowledgement_is_in_its_history()
    {
        const string cell = "330702-001-001", county = "330702";
        await app.RegisterCell(cell);
        await using var official = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, county));
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        using var ingest = app.As(Roles.Ingest);
        await app.ReportCase(ingest, cell, "late-ack-1", occurredAt: EpiGridApp.Start.AddMinutes(-10));
        var original = await official.WaitFor(r => r.Id.EndsWith(":late-ack-1"), TimeSpan.FromSeconds(5));
        var due = original.Alert["dueBy"]!.GetValue<DateTimeOffset>();

        app.Clock.Advance(due - app.Clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        official.Alerts.ShouldNotContain(r => r.Kind == "escalation", "one minute before its due time");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var escalation = await official.WaitFor(r => r.Kind == "escalation", TimeSpan.FromSeconds(10));
        escalation.Alert["subject"]!["alertId"]!.GetValue<string>().ShouldBe(original.Id);
        escalation.Alert["severity"]!.GetValue<string>().ShouldBe("urgent");
        // The text comes in both languages as two fields; each names the first alert in that language only.
        string Text(JsonNode alert, string lang) => alert["text"]![lang]!.GetValue<string>();
        Text(escalation.Alert, "en").ShouldBe($"Not acknowledged by {due:yyyy-MM-dd HH:mm}: {Text(original.Alert, "en")}");
        Text(escalation.Alert, "zh").ShouldBe($"逾期未处理：{Text(original.Alert, "zh")}");
        Text(original.Alert, "en").ShouldStartWith("Confirmed case late-ack-1");
        Text(original.Alert, "zh").ShouldBe("网格内新增确诊病例");
        escalation.Alert["message"]!.GetValue<string>().ShouldBe($"{Text(escalation.Alert, "en")} / {Text(escalation.Alert, "zh")}");
        worker.Alerts.ShouldNotContain(r => r.Kind == "escalation", "escalations go to the county's officials");

        var acknowledged = await worker.Connection.InvokeAsync<JsonObject>("ack", original.Id, "Visited, family isolated");
        acknowledged["status"]!.GetValue<string>().ShouldBe("acknowledged");
        acknowledged["acknowledgedBy"]!.GetValue<string>().ShouldBe("test-grid-worker");
        acknowledged["acknowledgedAt"]!.GetValue<DateTimeOffset>().ShouldBe(app.Clock.GetUtcNow());
        await Eventually.True(() => Task.FromResult(official.Updates.Any(u => u["id"]!.GetValue<string>() == original.Id
            && u["status"]!.GetValue<string>() == "acknowledged")), TimeSpan.FromSeconds(5));

        using var auditor = app.As(Roles.Auditor);
        var detail = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{Uri.EscapeDataString(original.Id)}"))!;
        var history = detail["history"]!.AsArray().Select(h => (Event: h!["event"]!.GetValue<string>(), Actor: h["actor"]!.GetValue<string>())).ToList();
        history.ShouldBe([("raised", "epigrid"), ("escalated", "epigrid"), ("acknowledged", "test-grid-worker")]);
        // ... and when: the acknowledgement at the moment it was given (the test clock), not before the escalation.
        var ackedAt = detail["history"]!.AsArray().Last()!["recordedAt"]!.GetValue<DateTimeOffset>();
        ackedAt.ShouldBe(acknowledged["acknowledgedAt"]!.GetValue<DateTimeOffset>());
        ackedAt.ShouldBeGreaterThanOrEqualTo(detail["history"]!.AsArray()[1]!["recordedAt"]!.GetValue<DateTimeOffset>());

        using var officialHttp = app.As(Roles.CountyOfficial, county);
        var ackEscalation = await officialHttp.PostAsJsonAsync($"/api/v1/alerts/{Uri.EscapeDataString(escalation.Id)}/ack", new { note = "Spoke to the worker" });
        ackEscalation.StatusCode.ShouldBe(HttpStatusCode.OK);
        var open = (await officialHttp.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?status=open&county={county}"))!;
        open.ShouldNotContain(a => a!["id"]!.GetValue<string>() == original.Id || a!["id"]!.GetValue<string>() == escalation.Id);
        var done = (await officialHttp.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?status=acknowledged&county={county}"))!.Select(a => a!["id"]!.GetValue<string>()).ToList();
        done.ShouldContain(original.Id);
        done.ShouldContain(escalation.Id);
        var listed = (await officialHttp.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?status=acknowledged&county={county}"))!
            .Single(a => a!["id"]!.GetValue<string>() == escalation.Id)!;
        (Text(listed, "en"), Text(listed, "zh")).ShouldBe((Text(escalation.Alert, "en"), Text(escalation.Alert, "zh")), "HTTP gives the text as the hub does");
        // since= keeps the alerts raised from that moment: the escalation, not the alert it escalated.
        var since = Uri.EscapeDataString(escalation.Alert["raisedAt"]!.GetValue<DateTimeOffset>().ToString("O"));
        var recent = (await officialHttp.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?county={county}&since={since}"))!.Select(a => a!["id"]!.GetValue<string>()).ToList();
        recent.ShouldContain(escalation.Id);
        recent.ShouldNotContain(original.Id);
    }
}
