using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Client;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// Issue 18: the hub speaks MessagePack beside JSON. A client that asks for it gets the same pushes, with the same field
/// names (camelCase) and values (times as the same ISO 8601 strings) as a JSON client; the hub's argument checks hold.
/// </summary>
public sealed class MessagePackHubTests(PushApp app) : IClassFixture<PushApp>
{
    const string County = "330726";

    [Fact]
    public async Task Push_clients_over_MessagePack_receive_the_alert_and_the_county_with_the_same_fields_and_values_as_JSON_clients()
    {
        const string cell = "330726-818-001";
        await app.RegisterCell(cell);
        var workerToken = app.Token(Roles.GridWorker, cells: cell);
        var officialToken = app.Token(Roles.CountyOfficial, County);
        await using var json = await DotNetAlertClient.Connect(app.BaseAddress, workerToken);
        await using var messagePack = await DotNetAlertClient.Connect(app.BaseAddress, workerToken, messagePack: true);
        await using var jsInJson = await NodeAlertClient.Connect(app.BaseAddress, workerToken);
        await using var jsInMessagePack = await NodeAlertClient.Connect(app.BaseAddress, workerToken, messagePack: true);
        jsInMessagePack.Protocol.ShouldBe("messagepack");
        // The typed library, both ways.
        var libraryAlerts = new Dictionary<HubProtocol, List<EpiGrid.Client.Alert>> { [HubProtocol.Json] = [], [HubProtocol.MessagePack] = [] };
        await using var libraryJson = new GridClient(app.BaseAddress, () => Task.FromResult<string?>(workerToken));
        await using var libraryMessagePack = new GridClient(app.BaseAddress, () => Task.FromResult<string?>(workerToken), protocol: HubProtocol.MessagePack);
        libraryJson.AlertReceived += a => { lock (libraryAlerts) libraryAlerts[HubProtocol.Json].Add(a); };
        libraryMessagePack.AlertReceived += a => { lock (libraryAlerts) libraryAlerts[HubProtocol.MessagePack].Add(a); };
        await libraryJson.StartAsync();
        await libraryMessagePack.StartAsync();
        // County officials: countyChanged carries a CountyResponse whose null fields JSON leaves out.
        var counties = new Dictionary<bool, List<JsonObject>> { [false] = [], [true] = [] };
        await using var officialJson = new DotNetAlertClient(app.BaseAddress, officialToken);
        await using var officialMessagePack = new DotNetAlertClient(app.BaseAddress, officialToken, messagePack: true);
        officialJson.Connection.On<JsonObject>("countyChanged", c => { lock (counties) counties[false].Add(c); });
        officialMessagePack.Connection.On<JsonObject>("countyChanged", c => { lock (counties) counties[true].Add(c); });
        await officialJson.Connection.StartAsync();
        await officialMessagePack.Connection.StartAsync();

        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "mp-1", occurredAt: EpiGridApp.Start.AddMinutes(-20))).StatusCode.ShouldBe(HttpStatusCode.Created);

        bool IsOurs(Received r) => r.Alert["subject"]?["caseId"]?.GetValue<string>() == "mp-1";
        var viaJson = await json.WaitFor(IsOurs, TimeSpan.FromSeconds(5));
        var viaMessagePack = await messagePack.WaitFor(IsOurs, TimeSpan.FromSeconds(5));
        await Eventually.True(() => Task.FromResult(jsInJson.Alerts.Any(IsOurs) && jsInMessagePack.Alerts.Any(IsOurs)), TimeSpan.FromSeconds(5));

        viaJson.Alert["kind"]!.GetValue<string>().ShouldBe("case-confirmed");
        viaJson.Alert["raisedAt"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        Same(viaMessagePack.Alert, viaJson.Alert, ".NET client over MessagePack");
        Same(jsInJson.Alerts.First(IsOurs).Alert, viaJson.Alert, "JavaScript client over JSON");
        Same(jsInMessagePack.Alerts.First(IsOurs).Alert, viaJson.Alert, "JavaScript client over MessagePack (@microsoft/signalr-protocol-msgpack)");

        await Eventually.True(() =>
        {
            lock (libraryAlerts) return Task.FromResult(libraryAlerts.Values.All(l => l.Any(a => a.Id == viaJson.Id)));
        }, TimeSpan.FromSeconds(5));
        EpiGrid.Client.Alert Typed(HubProtocol p) { lock (libraryAlerts) return libraryAlerts[p].First(a => a.Id == viaJson.Id); }
        JsonSerializer.Serialize(Typed(HubProtocol.MessagePack)).ShouldBe(JsonSerializer.Serialize(Typed(HubProtocol.Json)));
        Typed(HubProtocol.MessagePack).RaisedAt.ShouldBe(viaJson.Alert["raisedAt"]!.GetValue<DateTimeOffset>());
        Typed(HubProtocol.MessagePack).RaisedAt.Offset.ShouldBe(viaJson.Alert["raisedAt"]!.GetValue<DateTimeOffset>().Offset);

        // catchUp answers alike, and the county pushes (in the order they came) match field for field.
        var caughtUpJson = await json.Connection.InvokeAsync<List<JsonObject>>("catchUp", viaJson.Seq - 1);
        var caughtUpMessagePack = await messagePack.Connection.InvokeAsync<List<JsonObject>>("catchUp", viaJson.Seq - 1);
        // (The county's colour-change alert may be committed between the two calls: compare what both returned.)
        static long Seq(JsonObject a) => a["seq"]!.GetValue<long>();
        var bySeq = caughtUpMessagePack.ToDictionary(Seq);
        bySeq.ShouldContainKey(viaJson.Seq);
        caughtUpJson.Select(Seq).ShouldContain(viaJson.Seq);
        foreach (var a in caughtUpJson.Where(a => bySeq.ContainsKey(Seq(a)))) Same(bySeq[Seq(a)], a, $"catchUp seq {Seq(a)}");

        await Eventually.True(() => { lock (counties) return Task.FromResult(counties[false].Count > 0 && counties[true].Count == counties[false].Count); },
            TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        lock (counties)
        {
            // Both connections get the same pushes in the same order; one may be a push ahead of the other.
            var both = Math.Min(counties[true].Count, counties[false].Count);
            both.ShouldBeGreaterThan(0);
            for (var i = 0; i < both; i++) Same(counties[true][i], counties[false][i], $"countyChanged[{i}]");
            counties[false][^1].ContainsKey("busiestCells").ShouldBeFalse("left out when null, over either protocol");
        }
    }

    [Fact]
    public async Task Arguments_over_MessagePack_meet_the_hubs_checks_and_a_refusal_names_the_argument()
    {
        const string cell = "330726-818-002";
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell), messagePack: true);
        var refused = await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync("join", $"cell:{cell}\u0000"));
        refused.Message.ShouldContain("Invalid argument 'group'");
        refused = await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync<JsonObject>("ack", "case:x:y", "seen\u0007"));
        refused.Message.ShouldContain("Invalid argument 'note'");
        await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync("join", "county-officials:330726"));
        await worker.Connection.InvokeAsync("join", $"cell:{cell}");
        (await worker.Connection.InvokeAsync<List<JsonObject>>("catchUp", 0L)).ShouldNotBeNull();
        worker.Connection.State.ShouldBe(HubConnectionState.Connected);
    }

    static void Same(JsonObject actual, JsonObject expected, string what) =>
        JsonNode.DeepEquals(actual, expected).ShouldBeTrue($"{what}:{Environment.NewLine}{actual.ToJsonString()}{Environment.NewLine}expected{Environment.NewLine}{expected.ToJsonString()}");
}
