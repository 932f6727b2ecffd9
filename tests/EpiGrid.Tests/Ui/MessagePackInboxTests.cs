using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>
/// Issue 18: a browser asked for MessagePack (localStorage 'epigrid.hubProtocol') speaks it to the grid hub with the
/// vendored @microsoft/signalr-protocol-msgpack, and the inbox shows a pushed alert as it does over JSON.
/// </summary>
public sealed class MessagePackInboxTests(UiApp app) : IClassFixture<UiApp>
{
    [Fact]
    public async Task A_worker_whose_browser_asks_for_MessagePack_gets_the_alert_in_the_inbox_over_binary_frames()
    {
        const string cell = "330784-102-001";
        await app.RegisterCell(cell);
        var worker = await app.Browser.Open(app.BaseAddress, Browser.Phone, app.Token(Roles.GridWorker, cells: cell));
        await worker.AddInitScriptAsync("localStorage.setItem('epigrid.hubProtocol', 'messagepack')");
        int binary = 0, text = 0;
        await worker.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/hubs/grid"), ws =>
        {
            var server = ws.ConnectToServer();
            server.OnMessage(frame =>
            {
                if (frame.Text is { } t) { Interlocked.Increment(ref text); ws.Send(t); }
                else { Interlocked.Increment(ref binary); ws.Send(frame.Binary!); }
            });
        });
        await worker.GotoAsync("/");
        await Browser.Ready(worker, "inbox");
        await Browser.Connected(worker);
        (await worker.EvaluateAsync<string>("import('/js/api.js').then(m => m.hubProtocol())")).ShouldBe("messagepack");

        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "ui-mp-1", occurredAt: EpiGridApp.Start.AddHours(-1))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await worker.WaitForSelectorAsync($"[data-testid=alerts] [data-alert='case:{cell}:ui-mp-1']", new() { Timeout = 5_000 });
        Volatile.Read(ref binary).ShouldBeGreaterThan(0, "the hub's frames are MessagePack");
        Volatile.Read(ref text).ShouldBe(0, "no JSON frame once MessagePack was asked for");
        await worker.Context.CloseAsync();
    }
}
