using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>Issue 14: the inbox moved its last seen sequence past a lost push, so the gap was never caught up.</summary>
public sealed class InboxGapTests(UiApp app) : IClassFixture<UiApp>
{
    [Fact]
    public async Task The_inbox_notices_a_lost_push_at_the_next_alert_and_ends_with_every_alert_once()
    {
        const string cell = "330784-101-001";
        await app.RegisterCell(cell);
        var worker = await app.Browser.Open(app.BaseAddress, Browser.Phone, app.Token(Roles.GridWorker, cells: cell));
        // The network between the grid hub and the page loses the push of one alert (every copy of it), nothing else.
        var lost = 0;
        await worker.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/hubs/grid"), ws =>
        {
            var server = ws.ConnectToServer();
            server.OnMessage(frame =>
            {
                if (frame.Text is not { } text) { ws.Send(frame.Binary!); return; }
                var kept = text.Split('\u001e').Where(m => !(m.Contains("\"target\":\"alert\"") && m.Contains($"case:{cell}:ui-gap-2"))).ToList();
                if (kept.Count < text.Split('\u001e').Length) Interlocked.Increment(ref lost);
                if (string.Join('\u001e', kept) is { Length: > 0 } rest) ws.Send(rest);
            });
        });
        await worker.GotoAsync("/");
        await Browser.Ready(worker, "inbox");
        await Browser.Connected(worker);

        using var ingest = app.As(Roles.Ingest);
        var at = EpiGridApp.Start.AddHours(-1);
        string Alert(string caseId) => $"[data-testid=alerts] [data-alert='case:{cell}:{caseId}']";
        (await app.ReportCase(ingest, cell, "ui-gap-1", occurredAt: at)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await worker.WaitForSelectorAsync(Alert("ui-gap-1"), new() { Timeout = 5_000 });
        (await app.ReportCase(ingest, cell, "ui-gap-2", occurredAt: at)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.True(() => Task.FromResult(Volatile.Read(ref lost) > 0), TimeSpan.FromSeconds(5), "the push of ui-gap-2 is lost");
        (await app.ReportCase(ingest, cell, "ui-gap-3", occurredAt: at)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await worker.WaitForSelectorAsync(Alert("ui-gap-3"), new() { Timeout = 5_000 });
        await worker.WaitForSelectorAsync(Alert("ui-gap-2"), new() { Timeout = 10_000 });
        foreach (var caseId in new[] { "ui-gap-1", "ui-gap-2", "ui-gap-3" })
            (await worker.Locator(Alert(caseId)).CountAsync()).ShouldBe(1, $"{caseId} once");
        await Browser.Screenshot(worker, "inbox-after-gap");
        await worker.Context.CloseAsync();
    }
}
