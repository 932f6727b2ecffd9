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
    public async Task A_worker_whose_browser_asks_for_MessagePack_gets_the_alert_in_the_inbox_over_MessagePack_frames()
    {
        const string cell = "330784-102-001";
        await app.RegisterCell(cell);
        var worker = await app.Browser.Open(app.BaseAddress, Browser.Phone, app.Token(Roles.GridWorker, cells: cell));
        await worker.AddInitScriptAsync("localStorage.setItem('epigrid.hubProtocol', 'messagepack')");
        var frames = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        var console = new System.Collections.Concurrent.ConcurrentQueue<string>();
        worker.Console += (_, m) => console.Enqueue($"{m.Type}: {m.Text}");
        worker.WebSocket += (_, ws) =>
        {
            if (ws.Url.Contains("/hubs/grid", StringComparison.Ordinal)) ws.FrameReceived += (_, frame) => frames.Enqueue(frame.Binary ?? []);
        };
        await worker.GotoAsync("/");
        await Browser.Ready(worker, "inbox");
        try { await Browser.Connected(worker); }
        catch (TimeoutException) { throw new Xunit.Sdk.XunitException("not connected; console: " + string.Join(" | ", console)); }
        (await worker.EvaluateAsync<string>("import('/js/api.js').then(m => m.hubProtocol())")).ShouldBe("messagepack");

        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "ui-mp-1", occurredAt: EpiGridApp.Start.AddHours(-1))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await worker.WaitForSelectorAsync($"[data-testid=alerts] [data-alert='case:{cell}:ui-mp-1']", new() { Timeout = 5_000 });
        // The handshake's answer is JSON by definition ("{}" and the record separator); every frame after it is MessagePack:
        // length-prefixed messages, each an array. Playwright's frames do not say text or binary, so the bytes are read.
        var received = frames.ToList();
        received[0].ShouldBe("{}\u001e"u8.ToArray(), "the handshake's answer");
        received.Count.ShouldBeGreaterThan(1);
        received.Skip(1).Where(f => !IsMessagePack(f)).Select(Convert.ToHexString).ShouldBeEmpty("frames that are not MessagePack");
        received.Skip(1).Any(f => f.AsSpan().IndexOf("ui-mp-1"u8) >= 0).ShouldBeTrue("the alert came over MessagePack");
        await worker.Context.CloseAsync();
    }

    /// <summary>SignalR's MessagePack framing: each message a varint length, then a MessagePack array of that length.</summary>
    static bool IsMessagePack(byte[] frame)
    {
        var i = 0;
        while (i < frame.Length)
        {
            int length = 0, shift = 0;
            byte b;
            do { b = frame[i++]; length |= (b & 0x7f) << shift; shift += 7; } while ((b & 0x80) != 0 && i < frame.Length);
            if (i >= frame.Length || !(frame[i] is >= 0x90 and <= 0x9f || frame[i] is 0xdc or 0xdd)) return false;
            i += length;
        }
        return i == frame.Length;
    }
}
