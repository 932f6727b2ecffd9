using System.Collections.Concurrent;
using EpiGrid.Client;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Alerts;

public sealed class GridClientTests(PushApp app) : IClassFixture<PushApp>
{
    [Fact]
    public async Task The_client_hands_out_every_alert_once_and_in_order_live_and_after_being_away()
    {
        const string cell = "330424-001-001";
        await app.RegisterCell(cell);
        var token = app.Token(Roles.GridWorker, cells: cell);
        using var ingest = app.As(Roles.Ingest);
        var seen = new ConcurrentQueue<Alert>();
        long saved;

        var client = new GridClient(app.BaseAddress, () => Task.FromResult<string?>(token));
        client.AlertReceived += seen.Enqueue;
        await client.StartAsync();
        for (var i = 0; i < 3; i++) await app.ReportCase(ingest, cell, $"gc-live-{i}", occurredAt: EpiGridApp.Start.AddHours(-1));
        await Eventually.True(() => Task.FromResult(seen.Count(a => a.CellId == cell) == 3), TimeSpan.FromSeconds(5));
        await client.DisposeAsync();
        saved = client.LastSeq;
        saved.ShouldBe(seen.Max(a => a.Seq), "closing settles the resume point");

        for (var i = 0; i < 4; i++) await app.ReportCase(ingest, cell, $"gc-away-{i}", kind: "asymptomatic", occurredAt: EpiGridApp.Start.AddHours(-1));

        await using (var resumed = new GridClient(app.BaseAddress, () => Task.FromResult<string?>(token), lastSeq: saved))
        {
            resumed.AlertReceived += seen.Enqueue;
            await resumed.StartAsync();
            await app.ReportCase(ingest, cell, "gc-after", occurredAt: EpiGridApp.Start.AddHours(-1));
            await Eventually.True(() => Task.FromResult(seen.Any(a => a.Subject.GetValueOrDefault("caseId") == "gc-after")), TimeSpan.FromSeconds(5));
        }

        var ours = seen.Where(a => a.CellId == cell).Select(a => a.Subject["caseId"]).ToList();
        ours.ShouldBe(["gc-live-0", "gc-live-1", "gc-live-2", "gc-away-0", "gc-away-1", "gc-away-2", "gc-away-3", "gc-after"]);
        // Once each. Live alerts reach the client through several groups (its cell's and its county's), so two
        // raised a millisecond apart may arrive swapped; what a catch-up hands out comes in sequence order.
        seen.Select(a => a.Seq).ShouldBeUnique("once each");
        seen.Where(a => a.CellId == cell).SkipWhile(a => a.Subject["caseId"] != "gc-away-0").Take(4).Select(a => a.Seq)
            .ShouldBeInOrder(SortDirection.Ascending, "the catch-up after being away hands out in sequence order");
    }

    [Fact]
    public async Task A_client_that_misses_a_push_notices_the_gap_at_the_next_alert_and_catches_up_each_alert_once()
    {
        const string cell = "330424-002-001";
        await app.RegisterCell(cell);
        var token = app.Token(Roles.GridWorker, cells: cell);
        using var ingest = app.As(Roles.Ingest);
        var at = EpiGridApp.Start.AddHours(-1);
        var wire = new DroppingProtocol(a => a.Subject.GetValueOrDefault("caseId") == "gap-2");
        var seen = new ConcurrentQueue<Alert>();

        await using var client = new GridClient(app.BaseAddress, () => Task.FromResult<string?>(token),
            configure: b => b.Services.AddSingleton<IHubProtocol>(wire));
        client.AlertReceived += seen.Enqueue;
        await client.StartAsync();
        bool Has(string caseId) => seen.Any(a => a.Subject.GetValueOrDefault("caseId") == caseId);

        await app.ReportCase(ingest, cell, "gap-1", occurredAt: at);
        await Eventually.True(() => Task.FromResult(Has("gap-1")), TimeSpan.FromSeconds(5));
        await app.ReportCase(ingest, cell, "gap-2", occurredAt: at);
        await Eventually.True(() => Task.FromResult(wire.Dropped > 0), TimeSpan.FromSeconds(5), "the push of gap-2 is lost on the wire");
        await app.ReportCase(ingest, cell, "gap-3", occurredAt: at);

        // Well before the once-a-minute catch-up: the next alert's link tells the client it missed one.
        await Eventually.True(() => Task.FromResult(Has("gap-1") && Has("gap-2") && Has("gap-3")), TimeSpan.FromSeconds(10),
            $"the missed alert is caught up; got {string.Join(", ", seen.Select(a => a.Id))}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        seen.Where(a => a.CellId == cell).Select(a => a.Subject["caseId"]).Order().ToList().ShouldBe(["gap-1", "gap-2", "gap-3"], customMessage: "each once");
        seen.Select(a => a.Seq).ShouldBeUnique();
    }
}
