using EpiGrid.Alerts;
using EpiGrid.Platform;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.Storage;
using EpiGrid.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// Issue 14: a write whose own data the store refuses (PostgreSQL's jsonb refuses "\u0000": SQLSTATE 22P05) failed
/// every write sharing its transaction, reported as "store unavailable". Below the hub: the group commit and the
/// alert ledger get such a write in the same batch as innocent ones.
/// </summary>
public sealed class GroupCommitIsolationTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    static EventMeta Meta(string reason) => new("test", "test", EpiGridApp.Start, EpiGridApp.Start, reason);

    static StreamWrite Write(string stream, string note) =>
        new(stream, 0, [new AlertAcknowledged(stream, note, Meta(note))], [], [], WriteLane.Urgent);

    [Fact]
    public async Task A_write_the_store_refuses_fails_alone_and_every_innocent_write_of_its_batch_commits()
    {
        var log = app.Silo.Services.GetRequiredService<IEventLog>();
        var run = Guid.NewGuid().ToString("N")[..8];
        // The urgent lane has one writer loop, so writes queued together share its transactions.
        var innocent = Enumerable.Range(0, 60).Select(i => Write($"alert:iso-{run}-{i}", "fine")).ToList();
        var culprits = new[] { Write($"alert:iso-{run}-nul", "bad\u0000"), Write($"alert:iso-{run}-nul2", "\u0000") };
        var writes = innocent.Take(30).Concat(culprits.Take(1)).Concat(innocent.Skip(30)).Concat(culprits.Skip(1)).ToList();

        var outcomes = writes.Select(w => (w, Task: log.AppendAsync(w))).ToList();
        await Task.WhenAll(outcomes.Select(o => o.Task.ContinueWith(_ => { })));

        var failedInnocents = outcomes.Where(o => innocent.Contains(o.w) && !o.Task.IsCompletedSuccessfully)
            .Select(o => $"{o.w.StreamKey}: {o.Task.Exception?.InnerException?.GetType().Name}").ToList();
        failedInnocents.ShouldBeEmpty(string.Join(", ", failedInnocents.Take(3)));
        foreach (var (w, task) in outcomes.Where(o => culprits.Contains(o.w)))
        {
            task.IsFaulted.ShouldBeTrue($"{w.StreamKey} should be refused");
            var e = task.Exception!.InnerException!;
            e.ShouldNotBeOfType<StoreUnavailableException>("the store is up: the write's own data is at fault");
            e.ShouldBeOfType<WriteRefusedException>();
        }
        var stored = await app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where stream_id like 'alert:iso-{run}-%'");
        stored.ShouldBe(innocent.Count);
    }

    [Fact]
    public async Task The_ledger_refuses_a_NUL_note_alone_and_raises_every_alert_of_its_round_without_wedging_its_sequence()
    {
        var ledger = app.Silo.Grains.GetGrain<IAlertLedgerGrain>(0);
        var store = app.Silo.Services.GetRequiredService<IDocumentStore>();
        var run = Guid.NewGuid().ToString("N")[..8];
        AlertDraft Draft(string id) => new(id, "test", Severities.Info, null, "330782", "test alert", EpiGridApp.Start, null,
            new Dictionary<string, string>(), [AlertGroups.Province], "test-1");
        var target = Draft($"test:{run}:target");
        await ledger.Raise([target]);
        await Eventually.True(async () => { await using var s = store.QuerySession(); return await s.LoadAsync<AlertRecord>(target.Id) is not null; },
            TimeSpan.FromSeconds(10));

        var drafts = Enumerable.Range(0, 40).Select(i => Draft($"test:{run}:{i}")).ToList();
        var raising = ledger.Raise(drafts);
        var acknowledging = ledger.Acknowledge(target.Id, new Provenance("test-worker", "test"), "seen\u0000");
        var tail = ledger.Raise([Draft($"test:{run}:tail")]);
        await Task.WhenAll(raising, tail);
        var result = (await acknowledging).Result;

        result.Outcome.ShouldBe(Outcome.Invalid, result.Error);
        result.Field.ShouldBe("note");
        var ids = drafts.Select(d => d.Id).Append($"test:{run}:tail").ToList();
        List<AlertRecord> records = [];
        await Eventually.True(async () =>
        {
            await using var s = store.QuerySession();
            records = (await s.LoadManyAsync<AlertRecord>(ids)).ToList();
            return records.Count == ids.Count;
        }, TimeSpan.FromSeconds(10));
        (await ledger.CommittedThrough()).ShouldBeGreaterThanOrEqualTo(records.Max(r => r.Seq), "catch-up must reach every committed alert");
        await using (var s = store.QuerySession())
            (await s.LoadAsync<AlertRecord>(target.Id))!.Status.ShouldBe(AlertStatus.Open);
        // And the ledger goes on: a proper acknowledgement is recorded.
        (await ledger.Acknowledge(target.Id, new Provenance("test-worker", "test"), "seen")).Result.Outcome.ShouldBe(Outcome.Updated);
    }
}
