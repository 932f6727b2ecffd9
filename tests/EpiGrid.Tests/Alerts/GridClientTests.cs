using System.Collections.Concurrent;
using EpiGrid.Client;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

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
}
