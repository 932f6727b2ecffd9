using System.Net.Http.Json;
using EpiGrid.Simulator.Runner;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>Tokens for any role and raw SignalR connections (WebSockets only, no negotiate round trip).</summary>
public static class LiveClients
{
    /// <summary>A development token: <c>{"role","county"?,"cells"?,"subject"?}</c>.</summary>
    public static async Task<string> DevToken(PlatformClient client, string role, string? county = null, string[]? cells = null, string? subject = null)
    {
        var body = new JsonObject { ["role"] = role, ["lifetimeMinutes"] = 24 * 60 };
        if (county is not null) body["county"] = county;
        if (cells is not null) body["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray());
        if (subject is not null) body["subject"] = subject;
        using var response = await client.Http.PostAsJsonAsync("/api/v1/dev/tokens", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>
    /// A hub connection over WebSockets (negotiation skipped), patient with a busy server; with
    /// <paramref name="messagePack"/>, SignalR's MessagePack protocol as it comes (payloads read as maps, as a client
    /// that knows nothing of EpiGrid's types would read them), else JSON.
    /// </summary>
    public static HubConnection Connection(Uri hubUrl, string? token, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(hubUrl, HttpTransportType.WebSockets, o =>
        {
            o.SkipNegotiation = true;
            if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        }).WithServerTimeout(TimeSpan.FromMinutes(3));
        if (messagePack) builder.AddMessagePackProtocol();
        return builder.Build();
    }

    /// <summary>Milliseconds between two <see cref="Stopwatch.GetTimestamp"/> values, never below zero.</summary>
    public static double Ms(long from, long to) => Math.Max(0, to - from) * 1000.0 / Stopwatch.Frequency;
}
