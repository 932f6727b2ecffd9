using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Security;

/// <summary>
/// The hub's methods get hostile arguments too: each is refused with a message meant for the caller (a HubException),
/// never an unexpected server error, and the connection stays usable afterwards. (A message over SignalR's 32 KB limit
/// closes the connection by design; strings here stay under it.)
/// </summary>
public sealed class HostileHubCallsTests(PushApp app) : IClassFixture<PushApp>
{
    static readonly string[] Strings = ["", " ", "x", "case:330782-001-001:nope", "' or 1=1--", "\u0000\u0001", "\uD800", new string('a', 12_000), "中文", "../../etc"];

    [Fact]
    public async Task Hostile_arguments_to_every_hub_method_are_refused_politely_and_the_connection_survives()
    {
        const string cell = "330782-401-001";
        await app.RegisterCell(cell);
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
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
            await Call("join", s);
        }
        foreach (var seq in new[] { long.MinValue, -1L, 0L, long.MaxValue }) await Call("catchUp", seq);
        await Call("catchUp", "not a number");
        await Call("ack", 12, 34);
        await Call("noSuchMethod", "x");

        unexpected.ShouldBeEmpty(string.Join(Environment.NewLine, unexpected.Take(5)));
        worker.Connection.State.ShouldBe(HubConnectionState.Connected);
        (await worker.Connection.InvokeAsync<JsonArray>("catchUp", 0L)).ShouldNotBeNull("the connection still answers");
    }
}
