using EpiGrid.Alerts;
using EpiGrid.Platform;
using EpiGrid.Grains.Storage;
using EpiGrid.Tests.Infrastructure;
using JasperFx;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// Issue 14: a commit whose connection was lost during COMMIT was reported as "nothing committed" (store unavailable),
/// though it may have committed, and callers skipped their follow-up work. The group commit talks to PostgreSQL through
/// a proxy that cuts the connection at the COMMIT, after or before the server got it.
/// </summary>
public sealed class CommitOutcomeTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    async Task<(GroupCommitLog Log, CommitCuttingProxy Proxy, DocumentStore Store)> LogThroughProxy()
    {
        var direct = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString);
        var proxy = new CommitCuttingProxy(direct.Host!, direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Pooling = false };
        var store = DocumentStore.For(o =>
        {
            MartenSetup.Configure(o, viaProxy.ConnectionString);
            o.AutoCreateSchemaObjects = AutoCreate.None; // the platform created it
        });
        var log = new GroupCommitLog(store, Options.Create(new EventLogOptions { Writers = 1, UrgentWriters = 0 }), NullLogger<GroupCommitLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        return (log, proxy, store);
    }

    static StreamWrite Write(string stream) =>
        new(stream, 0, [new AlertAcknowledged(stream, "note", new EventMeta("test", "test", EpiGridApp.Start, EpiGridApp.Start))], [], []);

    Task<long> Stored(string stream) => app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where stream_id = '{stream}'");

    [Fact]
    public async Task A_write_committed_while_the_connection_dropped_is_confirmed_from_the_store_not_reported_as_lost()
    {
        var (log, proxy, store) = await LogThroughProxy();
        await using var _ = proxy;
        using var __ = store;
        var stream = $"outcome:{Guid.NewGuid():N}";

        proxy.Arm(CommitCuttingProxy.Cut.AfterCommitReachedServer);
        await Should.NotThrowAsync(() => log.AppendAsync(Write(stream)), "the write is in the store: its caller must hear so");

        proxy.Cuts.ShouldBe(1, "the COMMIT's connection was cut");
        (await Stored(stream)).ShouldBe(1);
        await log.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_write_whose_COMMIT_never_reached_the_server_is_reported_as_not_committed()
    {
        var (log, proxy, store) = await LogThroughProxy();
        await using var _ = proxy;
        using var __ = store;
        var stream = $"outcome:{Guid.NewGuid():N}";

        proxy.Arm(CommitCuttingProxy.Cut.BeforeCommitReachedServer);
        await Should.ThrowAsync<StoreUnavailableException>(() => log.AppendAsync(Write(stream)));

        proxy.Cuts.ShouldBe(1);
        (await Stored(stream)).ShouldBe(0);
        // The retry its caller makes goes through.
        await log.AppendAsync(Write(stream));
        (await Stored(stream)).ShouldBe(1);
        await log.StopAsync(CancellationToken.None);
    }
}
