using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Alerts;

public sealed class WritesPerCaseApp : PushApp;

/// <summary>
/// What a confirmed case costs the store on the write path: the cell's commit and its alert's, plus a colour change
/// when the county moves. A stream per push to the web hosts (a third commit per alert no one read) is gone.
/// </summary>
public sealed class WritesPerCaseTests(WritesPerCaseApp app, ITestOutputHelper output) : IClassFixture<WritesPerCaseApp>
{
    [Fact]
    public async Task A_confirmed_case_delivered_to_a_connected_worker_costs_the_cells_write_and_its_alerts_and_no_delivery_stream()
    {
        const string county = "330881";
        const int n = 20;
        var cells = Enumerable.Range(1, 4).Select(i => $"{county}-050-{i:000}").ToList();
        foreach (var cell in cells) await app.RegisterCell(cell);
        await using var official = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, county));
        using var ingest = app.As(Roles.Ingest);
        var before = await app.Database.Scalar<long>("select coalesce(max(seq_id), 0) from epigrid.mt_events");

        for (var i = 0; i < n; i++) await app.ReportCase(ingest, cells[i % cells.Count], $"wpc-{i}", occurredAt: EpiGridApp.Start.AddHours(-1));
        await Eventually.True(() => Task.FromResult(official.Alerts.Count(a => a.Kind == "case-confirmed") == n), TimeSpan.FromSeconds(20),
            "every case's alert reached the connected official");
        await Task.Delay(TimeSpan.FromSeconds(1)); // what the pushes would still write

        // Writes since, by stream kind (alerts by what they are about): each case is its own report, so its own writes.
        var written = (await app.Database.Rows(
            """
            select case when stream_id like 'alert:%' then 'alert:' || split_part(stream_id, ':', 2) else split_part(stream_id, ':', 1) end,
                   count(distinct stream_id), count(*)
            from epigrid.mt_events where seq_id > @s group by 1
            """,
            r => (Kind: r.GetString(0), Streams: r.GetInt64(1), Events: r.GetInt64(2)), ("s", before))).ToDictionary(w => w.Kind);
        output.WriteLine(string.Join(", ", written.Values.Select(w => $"{w.Kind}: {w.Streams} streams, {w.Events} events")));

        written.Keys.ShouldNotContain("delivery", "pushes to the web hosts are counted, not stored");
        written["cell"].Events.ShouldBe(n, "one event per case in its cell");
        written["alert:case"].Streams.ShouldBe(n, "one alert per case");
        var countyWrites = written.GetValueOrDefault("county").Events;
        var otherAlerts = written.Values.Where(w => w.Kind.StartsWith("alert:") && w.Kind != "alert:case").Sum(w => w.Streams);
        otherAlerts.ShouldBeLessThanOrEqualTo(countyWrites, "the only other alerts are colour changes");
        written.Keys.Where(k => k is not ("cell" or "county") && !k.StartsWith("alert:")).ShouldBeEmpty();

        var perCase = (written["cell"].Events + written["alert:case"].Streams) / (double)n;
        output.WriteLine($"writes per confirmed case: {perCase:0.00}, plus {countyWrites} colour changes and their {otherAlerts} alerts over {n} cases");
        Console.WriteLine($"Writes per confirmed case: {perCase:0.00} (+ {countyWrites + otherAlerts} for colour changes over {n} cases)");
        perCase.ShouldBe(2.0);
    }
}
