using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Alerts;

public sealed class LiveAlertsTests(PushApp app) : IClassFixture<PushApp>
{
    const string County = "330782";

    [Fact]
    public async Task A_confirmed_case_in_cell_A_reaches_As_worker_and_the_county_official_within_a_second_and_never_Bs_worker()
    {
        const string cellA = "330782-201-001", cellB = "330782-201-002";
        await app.RegisterCell(cellA);
        await app.RegisterCell(cellB);
        await using var workerA = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cellA));
        await using var workerB = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cellB));
        await using var official = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, County));
        await using var officialInBrowser = await NodeAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, County));
        await using var workerAInBrowser = await NodeAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cellA));
        await using var workerBInBrowser = await NodeAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cellB));
        // And the client library a phone app or the CLI uses (typed, reconnecting, catch-up built in).
        var workerALibraryAt = new System.Collections.Concurrent.ConcurrentQueue<(EpiGrid.Client.Alert Alert, long At)>();
        await using var workerALibrary = new EpiGrid.Client.GridClient(app.BaseAddress, () => Task.FromResult<string?>(app.Token(Roles.GridWorker, cells: cellA)));
        workerALibrary.AlertReceived += a => workerALibraryAt.Enqueue((a, Stopwatch.GetTimestamp()));
        await workerALibrary.StartAsync();

        using var ingest = app.As(Roles.Ingest);
        var response = await app.ReportCase(ingest, cellA, "live-1", occurredAt: EpiGridApp.Start.AddMinutes(-30));
        var acknowledgedAt = Stopwatch.GetTimestamp();
        response.StatusCode.ShouldBe(HttpStatusCode.Created);

        bool IsOurs(Received r) => r.Alert["subject"]!["caseId"]?.GetValue<string>() == "live-1";
        var received = new[]
        {
            await workerA.WaitFor(IsOurs, TimeSpan.FromSeconds(5)),
            await official.WaitFor(IsOurs, TimeSpan.FromSeconds(5)),
        };
        await Eventually.True(() => Task.FromResult(officialInBrowser.Alerts.Any(IsOurs) && workerAInBrowser.Alerts.Any(IsOurs)), TimeSpan.FromSeconds(5));
        received = [.. received, officialInBrowser.Alerts.First(IsOurs), workerAInBrowser.Alerts.First(IsOurs)];

        await Eventually.True(() => Task.FromResult(workerALibraryAt.Any(a => a.Alert.Id.EndsWith(":live-1"))), TimeSpan.FromSeconds(5));
        var (libraryAlert, libraryAt) = workerALibraryAt.First(a => a.Alert.Id.EndsWith(":live-1"));
        Stopwatch.GetElapsedTime(acknowledgedAt, libraryAt).ShouldBeLessThan(TimeSpan.FromSeconds(1));
        (libraryAlert.Kind, libraryAlert.Severity, libraryAlert.CellId).ShouldBe(("case-confirmed", "urgent", cellA));
        foreach (var r in received)
        {
            Stopwatch.GetElapsedTime(acknowledgedAt, r.At).ShouldBeLessThan(TimeSpan.FromSeconds(1));
            r.Kind.ShouldBe("case-confirmed");
            r.Alert["severity"]!.GetValue<string>().ShouldBe("urgent");
            r.Alert["cellId"]!.GetValue<string>().ShouldBe(cellA);
            r.Alert["county"]!.GetValue<string>().ShouldBe(County);
            r.Alert["dueBy"].ShouldNotBeNull();
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        workerB.Alerts.ShouldNotContain(r => r.Alert["cellId"] != null && r.Alert["cellId"]!.GetValue<string>() == cellA);
        workerB.Alerts.ShouldNotContain(r => r.Alert["subject"]!["caseId"] != null);
        workerBInBrowser.Alerts.ShouldNotContain(r => r.Alert["cellId"] != null && r.Alert["cellId"]!.GetValue<string>() == cellA);
    }

    [Fact]
    public async Task A_worker_who_was_offline_gets_exactly_the_missed_alerts_in_order_with_catchUp()
    {
        const string cell = "330782-202-001";
        await app.RegisterCell(cell);
        var token = app.Token(Roles.GridWorker, cells: cell);
        using var ingest = app.As(Roles.Ingest);
        // A second screen of the same worker that never disconnects: what it receives is what the first one missed.
        await using var control = await DotNetAlertClient.Connect(app.BaseAddress, token);
        long lastSeen;
        await using (var worker = await DotNetAlertClient.Connect(app.BaseAddress, token))
        {
            await app.ReportCase(ingest, cell, "before-1", occurredAt: EpiGridApp.Start.AddHours(-2));
            lastSeen = (await worker.WaitFor(r => r.Id.EndsWith(":before-1"), TimeSpan.FromSeconds(5))).Seq;
        }

        await app.ReportCase(ingest, cell, "missed-1", occurredAt: EpiGridApp.Start.AddHours(-1));
        await app.ReportCase(ingest, cell, "missed-2", kind: "suspected", occurredAt: EpiGridApp.Start.AddHours(-1));
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
        {
            travellerId = "missed-3", originArea = "武汉 Wuhan", originRisk = "high", arrivedAt = EpiGridApp.Start.AddHours(-1).ToString("O"),
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await control.WaitFor(r => r.Kind == "traveller-visit" && r.Alert["cellId"]!.GetValue<string>() == cell, TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var live = control.Alerts.Where(r => r.Seq > lastSeen).Select(r => r.Seq).ToList();

        await using var again = await DotNetAlertClient.Connect(app.BaseAddress, token);
        var missed = await again.Connection.InvokeAsync<List<System.Text.Json.Nodes.JsonObject>>("catchUp", lastSeen);

        missed.Select(a => a["seq"]!.GetValue<long>()).ShouldBe(live, "catch-up returns exactly what a connected screen received, in order");
        missed.Where(a => a["cellId"]?.GetValue<string>() == cell).Select(a => a["kind"]!.GetValue<string>())
            .ShouldBe(["case-confirmed", "case-suspected", "traveller-visit"]);
        var visit = missed.Single(a => a["kind"]!.GetValue<string>() == "traveller-visit");
        visit["dueBy"]!.GetValue<DateTimeOffset>().ShouldBe(visit["raisedAt"]!.GetValue<DateTimeOffset>().AddHours(24));
    }

    [Fact]
    public async Task A_worker_asking_to_join_another_cells_group_is_refused()
    {
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: "330782-203-001"));
        await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync("join", "cell:330782-203-002"));
        await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync("join", "county-officials:330782"));
        await worker.Connection.InvokeAsync("join", "cell:330782-203-001");
    }

    [Fact]
    public async Task An_expired_or_forged_token_cannot_connect()
    {
        var expired = new TokenIssuer(new AuthOptions { SigningKey = app.SigningKey }, new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3)))
            .Issue("late", Roles.CountyOfficial, County).Token;
        var forged = new TokenIssuer(new AuthOptions { SigningKey = new string('k', 48) }).Issue("mallory", Roles.Admin).Token;
        foreach (var token in new[] { expired, forged, "not-a-token" })
        {
            var client = new DotNetAlertClient(app.BaseAddress, token);
            var error = await Should.ThrowAsync<HttpRequestException>(() => client.Connection.StartAsync());
            error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_client_on_one_web_host_receives_an_alert_raised_through_another()
    {
        const string cell = "330782-204-001";
        await app.RegisterCell(cell);
        var second = await app.StartAnotherWebHost();
        await using var onSecond = await DotNetAlertClient.Connect(second, app.Token(Roles.GridWorker, cells: cell));
        await using var onFirst = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, County));

        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, cell, "across-1", occurredAt: EpiGridApp.Start.AddMinutes(-5))).StatusCode.ShouldBe(HttpStatusCode.Created);

        await onSecond.WaitFor(r => r.Id.EndsWith(":across-1"), TimeSpan.FromSeconds(5));
        await onFirst.WaitFor(r => r.Id.EndsWith(":across-1"), TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        onSecond.Alerts.Count(r => r.Id.EndsWith(":across-1")).ShouldBe(1, "one backplane: delivered once, not once per host");
    }
}
