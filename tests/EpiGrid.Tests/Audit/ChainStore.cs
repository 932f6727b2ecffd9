using EpiGrid.Audit;
using EpiGrid.Cells;
using EpiGrid.Platform;
using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Audit;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// The event store and the group commit without a platform around them, for tests of the chain itself: what a silo
/// start installs, what the writers append, and the verifier the audit endpoint runs.
/// </summary>
public sealed class ChainStore : IAsyncDisposable
{
    public TestDatabase Db { get; private init; } = null!;
    public DocumentStore Store { get; private init; } = null!;
    public GroupCommitLog Log { get; private init; } = null!;

    public static async Task<ChainStore> Create()
    {
        var db = await TestDatabase.Create();
        var store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var log = new GroupCommitLog(store, Options.Create(new EventLogOptions()), NullLogger<GroupCommitLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        return new ChainStore { Db = db, Store = store, Log = log };
    }

    /// <summary>What a silo start does to the chain.</summary>
    public EventChainInstaller Installer() => new(Store,
        new SchemaMigration(new DatabaseRoles(Db.ConnectionString, null), NullLogger<SchemaMigration>.Instance), NullLogger<EventChainInstaller>.Instance);

    public ChainDigests Digests()
    {
        var options = Options.Create(new AuditOptions { DigestLag = TimeSpan.Zero });
        return new(Store, new DigestSigner(options, NullLogger<DigestSigner>.Instance), options, NullLogger<ChainDigests>.Instance);
    }

    public async Task<VerifyResponse> Verify()
    {
        await using var history = new PostgresEventHistory(Db.ConnectionString, Store);
        return await new ChainVerifier(history).Verify(null, null, CancellationToken.None);
    }

    public Task<long> Unchained() => Db.Scalar<long>(
        "select count(*) from epigrid.mt_events m where not exists (select 1 from epigrid.event_chain c where c.seq_id = m.seq_id)");

    public static IEpiEvent Event(string cell, int n) => new CellDetailsChanged(cell, $"name {n}", 100 + n,
        new EventMeta("tester", "test", DateTimeOffset.Parse("2020-02-01T08:00:00Z"), DateTimeOffset.Parse("2020-02-01T09:00:00Z"), null));

    public async ValueTask DisposeAsync()
    {
        await Log.StopAsync(CancellationToken.None);
        Store.Dispose();
        await Db.DisposeAsync();
    }
}
