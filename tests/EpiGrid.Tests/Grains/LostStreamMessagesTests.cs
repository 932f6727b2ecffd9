using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Platform;
using EpiGrid.Provinces;
using EpiGrid.Grains.Cells;
using EpiGrid.Geography;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Grains;

public sealed class LostStreamMessagesTests
{
    static readonly DateTimeOffset Feb20 = new(2020, 2, 20, 10, 0, 0, TimeSpan.FromHours(8));
    static readonly Provenance Tester = new("tester", "test");
    const string County = "330782";

    [Fact]
    public async Task A_county_that_missed_messages_catches_up_on_the_next_message_from_that_cell()
    {
        await using var db = await TestDatabase.Create();
        var (silo, publisher) = await StartSilo(db, verifyEvery: "00:10:00");
        await using var _ = silo;
        var cell = silo.Grains.GetGrain<ICellGrain>($"{County}-001-001");
        await cell.Execute([new RegisterCell(Tester, "Test cell", 300)]);

        publisher.Dropping = true;
        await ReportCases(cell, "lost", 3, cluster: "c1");
        publisher.Dropping = false;
        (await Confirmed()).ShouldBe(0, "the three messages were lost, so the county cannot know yet");

        await ReportCases(cell, "seen", 1, cluster: null);

        await Eventually.True(async () => await Confirmed() == 4, TimeSpan.FromSeconds(10));
        var view = await silo.Grains.GetGrain<ICountyGrain>(County).GetView();
        view.Indicators.ClustersLast14Days.ShouldBe(1);
        publisher.Dropped.ShouldBe(1, "the three cases were one commit, so one message");

        Task<int> Confirmed() => ConfirmedIn(silo);
    }

    [Fact]
    public async Task A_county_converges_to_the_totals_recomputed_from_the_store_when_the_last_messages_are_lost()
    {
        await using var db = await TestDatabase.Create();
        var (silo, publisher) = await StartSilo(db, verifyEvery: "00:00:01");
        await using var _ = silo;
        var cells = Enumerable.Range(1, 5).Select(i => silo.Grains.GetGrain<ICellGrain>($"{County}-002-{i:D3}")).ToList();
        foreach (var cell in cells) await cell.Execute([new RegisterCell(Tester, "Cell", 200)]);
        await ReportCases(cells[0], "kept", 2, cluster: null);

        publisher.Dropping = true;
        for (var i = 0; i < cells.Count; i++) await ReportCases(cells[i], $"lost-{i}", 2 + i, cluster: "k" + i);
        publisher.Dropped.ShouldBeGreaterThan(0);

        var fromStore = await db.Scalar<long>(
            "select count(*) from epigrid.mt_events where type = 'case_reported' and data->>'county' = @c and lower(data->>'kind') = 'confirmed'",
            ("c", County));
        fromStore.ShouldBe(2 + 2 + 3 + 4 + 5 + 6);
        await Eventually.True(async () => await ConfirmedIn(silo) == fromStore, TimeSpan.FromSeconds(15));
        var view = await silo.Grains.GetGrain<ICountyGrain>(County).GetView();
        view.Indicators.ClustersLast14Days.ShouldBe(5);

        // Every figure and every rule set's colour, against the county recomputed from the events alone (the auditors'
        // replay in the silo's history grain, which reads the store and shares nothing with the county grain but the pure
        // projection and rules).
        var now = silo.Services.GetRequiredKeyedService<TimeProvider>(Clocks.Domain).GetUtcNow();
        var recomputed = await silo.Grains.GetGrain<IHistoryGrain>(0).County(County, new Moment(now, DateTimeOffset.MaxValue));
        recomputed.Indicators.ConfirmedTotal.ShouldBe((int)fromStore);
        view.Indicators.ShouldBe(recomputed.Indicators);
        view.Colours.Keys.Order().ShouldBe(recomputed.Colours.Keys.Order());
        foreach (var (ruleSet, decision) in recomputed.Colours)
            (view.Colours[ruleSet].Level, view.Colours[ruleSet].Colour).ShouldBe((decision.Level, decision.Colour), ruleSet);
    }

    /// <summary>A silo whose counties never run the full backstop reconcile: only messages and the province's version check can help.</summary>
    static async Task<(TestSilo, DroppingPublisher)> StartSilo(TestDatabase db, string verifyEvery)
    {
        DroppingPublisher? publisher = null;
        var silo = await TestSilo.Start(db.ConnectionString, new FakeTimeProvider(Feb20), "lost-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?> { ["Counties:ReconcileInterval"] = "01:00:00", ["Province:RefreshInterval"] = verifyEvery },
            services => services.AddSingleton<ICellChangePublisher>(sp =>
                publisher = new DroppingPublisher(sp.GetRequiredService<IClusterClient>())));
        await silo.Grains.GetGrain<IProvinceGrain>(0).GetView();
        silo.Services.GetRequiredService<ICellChangePublisher>();
        return (silo, publisher!);
    }

    static async Task ReportCases(ICellGrain cell, string prefix, int count, string? cluster)
    {
        var results = await cell.Execute(Enumerable.Range(0, count)
            .Select(i => (CellCommand)new ReportCase(Tester, $"{prefix}-{i}", CaseKind.Confirmed, true, cluster, Feb20.AddHours(-i)))
            .ToList());
        results.ShouldAllBe(r => r.Outcome == Outcome.Created);
    }

    static async Task<int> ConfirmedIn(TestSilo silo) =>
        (await silo.Grains.GetGrain<ICountyGrain>(County).GetView()).Indicators.ConfirmedTotal;
}
