using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// One hub invocation written by hand on a WebSocket, SignalR's JSON protocol: .NET's JSON writer replaces a lone
/// surrogate half with U+FFFD, so only a hand-written "\ud800" reaches the server as a hostile client would send it.
/// </summary>
public static class RawHubCall
{
    const char Separator = '\u001e';

    /// <summary>Invokes <paramref name="target"/> with arguments given as raw JSON; returns the completion message.</summary>
    public static async Task<JsonObject> Invoke(Uri server, string token, string target, string rawArguments)
    {
        using var socket = new ClientWebSocket();
        var url = new UriBuilder(new Uri(server, "/hubs/grid")) { Scheme = server.Scheme == "https" ? "wss" : "ws", Query = $"access_token={Uri.EscapeDataString(token)}" };
        await socket.ConnectAsync(url.Uri, CancellationToken.None);
        await Send(socket, """{"protocol":"json","version":1}""");
        var handshake = await Receive(socket);
        handshake.ShouldNotContain("error");
        await Send(socket, $$"""{"type":1,"invocationId":"1","target":"{{target}}","arguments":[{{rawArguments}}]}""");
        while (true)
        {
            foreach (var frame in (await Receive(socket)).Split(Separator, StringSplitOptions.RemoveEmptyEntries))
                if (JsonNode.Parse(frame) is JsonObject { } message && message["type"]?.GetValue<int>() == 3) return message;
        }
    }

    static Task Send(ClientWebSocket socket, string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + Separator), WebSocketMessageType.Text, true, CancellationToken.None);

    static async Task<string> Receive(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        } while (!result.EndOfMessage);
        return text.ToString();
    }
}
