using System.Diagnostics;
using EpiGrid.Domain;
using EpiGrid.Events;
using EpiGrid.Geography;
using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using EpiGrid.Rules;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Audit;
using Marten;
using Npgsql;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Audit;

/// <summary>Runs only when EPIGRID_BENCH_EVENTS is set: a measurement to read, not a timed assertion.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(ReplayBenchmark.EventsVariable) is null)
            Skip = $"A measurement run by hand: set {ReplayBenchmark.EventsVariable}=200000";
    }
}

/// <summary>
/// Replay of the whole province against a raw sequential read of the same events, in the same run, on the real
/// store with the chain trigger installed. Also times writing (with the trigger), what-if over 30 days and verify.
/// </summary>
[Collection(AuditApp.Collection)]
public sealed class ReplayBenchmark(ITestOutputHelper output)
{
    public const string EventsVariable = "EPIGRID_BENCH_EVENTS";
    static readonly DateTimeOffset Start = new(2020, 1, 20, 0, 0, 0, TimeSpan.FromHours(8));

    [BenchmarkFact]
    public async Task Replay_of_the_province_against_a_raw_sequential_read_of_the_same_events()
    {
        var events = int.Parse(Environment.GetEnvironmentVariable(EventsVariable)!);
        await using var db = await TestDatabase.Create();
        var province = Province.Load(new GeographyOptions(), AppContext.BaseDirectory);
        var rules = new RuleBook(new RuleOptions());

        var written = Stopwatch.StartNew();
        await using (var store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString)))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await using (var connection = store.Storage.Database.CreateConnection())
                await EventChain.Install(connection);
            written.Restart();
            await Write(store, province, events);
            written.Stop();
        }

        await using var audit = new AuditStore(db.ConnectionString);
        var replay = new Replay(audit, province, rules);
        var now = Start.AddDays(40);
        Report("write (Marten, 1,000 events a save, chain trigger on)", events, written.Elapsed);

        for (var round = 1; round <= 2; round++)
        {
            var raw = Stopwatch.StartNew();
            var read = 0L;
            await foreach (var e in audit.Read("type = any(@kinds) and stream_id like 'cell:%'",
                               [new NpgsqlParameter("kinds", new[] { "case_reported", "case_status_changed", "traveller_arrived" })]))
                if (e.Data is not null) read++;
            raw.Stop();
            Report($"round {round}: raw sequential read + deserialise", read, raw.Elapsed);

            var replayed = Stopwatch.StartNew();
            var view = await replay.Province(new Moment(now, now), CancellationToken.None);
            replayed.Stop();
            Report($"round {round}: province replay (fold + indicators + 3 rule sets x 90 counties)", read, replayed.Elapsed);
            output.WriteLine($"    replay / raw = {replayed.Elapsed / raw.Elapsed:0.00}; confirmed in province: {view.Counties.Sum(c => c.Indicators.ConfirmedTotal):N0}");
        }

        var whatIf = Stopwatch.StartNew();
        await new WhatIf(replay, rules).Run(rules.Find("national-3")!, Start, Start.AddDays(30), now, CancellationToken.None);
        whatIf.Stop();
        Report("what-if national-3 over 30 days, 90 counties", events, whatIf.Elapsed);

        var verify = Stopwatch.StartNew();
        var verified = await new ChainVerifier(audit).Verify(null, CancellationToken.None);
        verify.Stop();
        verified.Ok.ShouldBeTrue();
        Report("verify (recompute every hash in .NET)", verified.CheckedEvents, verify.Elapsed);
    }

    /// <summary>Cells across the province, each a stream with a registration and ten cases over 30 days.</summary>
    static async Task Write(IDocumentStore store, Province province, int events)
    {
        const int CasesPerCell = 10;
        var random = new Random(2020);
        var cells = events / (CasesPerCell + 1);
        var session = store.LightweightSession();
        for (var i = 0; i < cells; i++)
        {
            var county = province.Counties[i % province.Counties.Count];
            var cellId = $"{county.Code}-{i / 1000 % 1000:D3}-{i % 1000:D3}";
            var batch = new List<object> { new CellRegistered(cellId, county.Code, "bench", 300, Meta(Start)) };
            for (var c = 0; c < CasesPerCell; c++)
            {
                var at = Start.AddMinutes(random.Next(0, 30 * 24 * 60));
                batch.Add(new CaseReported($"{cellId}-{c}", cellId, county.Code, CaseKind.Confirmed, random.Next(4) > 0,
                    random.Next(5) == 0 ? $"{county.Code}-cluster-{random.Next(20)}" : null, Meta(at)));
            }
            session.Events.StartStream(StreamKeys.Cell(cellId), batch);
            if ((i + 1) % (1000 / (CasesPerCell + 1)) == 0)
            {
                await session.SaveChangesAsync();
                await session.DisposeAsync();
                session = store.LightweightSession();
            }
        }
        await session.SaveChangesAsync();
        await session.DisposeAsync();
    }

    static EventMeta Meta(DateTimeOffset at) => new("bench", "benchmark", at, at.AddHours(1));

    void Report(string what, long events, TimeSpan elapsed)
    {
        var line = $"{what}: {events:N0} events in {elapsed.TotalSeconds:0.00} s = {events / elapsed.TotalSeconds:N0} events/s";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
