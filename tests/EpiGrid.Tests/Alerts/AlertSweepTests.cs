using EpiGrid.Alerts;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.Options;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// Issue 18: the store sweep, the ledger's safety net for alerts a lost message missed, read every event of the log
/// into the silo, though most of it can raise no alert (an import's arrival writes four events, of which only the
/// cell's traveller and the person's health code can). It reads only the events an alert derives from, and still finds
/// what was missed among them.
/// </summary>
public sealed class AlertSweepTests
{
    const string Cell = "330102-001-001", County = "330102";
    static readonly AlertOptions Settings = new();

    [Fact]
    public async Task The_sweep_reads_only_the_events_an_alert_can_derive_from_and_finds_the_alert_missed_among_them()
    {
        await using var db = await TestDatabase.Create();
        using var store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        // Forty arrivals whose visit tasks were raised, each with the person's arrival, the cell's traveller and the alert
        // (three of the four events an import writes for a row), and one more whose alert was lost: 122 events, of which
        // only the travellers can raise an alert.
        await using (var session = store.LightweightSession())
        {
            for (var n = 0; n <= 40; n++)
            {
                var traveller = Traveller(n);
                session.Events.StartStream(StreamKeys.Person($"p{n}"), Arrival(n));
                session.Events.Append(StreamKeys.Cell(Cell), traveller);
                if (n < 40) session.Events.StartStream(StreamKeys.Alert($"visit:{Cell}:t{n}-1"), Raised(traveller, n + 1));
            }
            await session.SaveChangesAsync();
        }
        await using (var session = store.LightweightSession())
        {
            foreach (var n in Enumerable.Range(0, 40)) session.Store(AlertRecord.Raised(AlertRules.ForCellEvent(Traveller(n), Settings).Single(), n + 1));
            session.Store(new AlertSweepCheckpoint { Sequence = 0, HighWater = 1_000 });
            await session.SaveChangesAsync();
        }

        var sweep = new AlertSweep(store, new RuleBook(new RuleOptions()), new MeasureTable(new MeasureOptions()), Options.Create(Settings));
        var found = await sweep.FindMissedAlerts();

        found.Missed.Select(d => d.Id).ShouldBe([AlertRules.ForCellEvent(Traveller(40), Settings).Single().Id]);
        found.EventsRead.ShouldBe(41, "only the cells' travellers: not the persons' arrivals, not the alerts themselves");
        found.Next.Sequence.ShouldBe(1_000);
        found.Next.HighWater.ShouldBe(41 * 3 - 1);
    }

    [Fact]
    public void Every_event_the_sweep_reads_has_a_stored_name_and_an_event_outside_them_raises_nothing()
    {
        AlertRules.RaisedBy.ShouldAllBe(t => StoredEvents.All.Any(e => e.Type == t));
        AlertRules.ForCellEvent(Traveller(1), Settings).ShouldNotBeEmpty();
        AlertRules.ForPersonEvent(Arrival(1), Cell, County, Settings).ShouldBeEmpty();
        AlertRules.ForCellEvent(Raised(Traveller(1), 1), Settings).ShouldBeEmpty();
    }

    static EventMeta Meta(int n) => new("tester", "rail", DateTimeOffset.Parse("2020-02-01T08:00:00Z").AddMinutes(n),
        DateTimeOffset.Parse("2020-02-01T09:00:00Z").AddMinutes(n));

    static TravellerArrived Traveller(int n) => new($"t{n}", Cell, County, "湖北 Hubei", "high", "rail", "home", Meta(n));

    static ArrivalReported Arrival(int n) => new($"p{n}", $"a{n}", "4201**********001X", null, null, null, "湖北 Hubei", "high", "rail",
        Cell, County, new ReportSource("rail", $"r{n}"), Meta(n));

    static AlertRaised Raised(TravellerArrived traveller, long seq) =>
        new(AlertRules.ForCellEvent(traveller, Settings).Single(), seq, traveller.Meta);
}
