using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Installs the event chain (see <see cref="EventChain"/>) when the silo starts: after Marten has created its
/// tables and before anything is seeded, so every event from then on is chained by the database itself. Events from
/// before the chain existed are back-filled in the background, in short batches that never block writers, so a silo
/// start (three of them in a rolling deploy) is no stall.
/// </summary>
public sealed class EventChainInstaller(IDocumentStore store, SchemaMigration migration, ILogger<EventChainInstaller> log) : IHostedService
{
    readonly CancellationTokenSource stopping = new();
    Task backfill = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Marten's tables, the chain, the rights: with the migration role, before anything is written.
        await migration.Run(cancellationToken);
        log.LogInformation("Event chain installed on {Schema}.mt_events", MartenSetup.Schema);
        backfill = Task.Run(() => Backfill(stopping.Token), CancellationToken.None);
    }

    async Task Backfill(CancellationToken cancellationToken)
    {
        try
        {
            var chained = await EventChain.Backfill(() => store.Storage.Database.CreateConnection(), cancellationToken: cancellationToken);
            if (chained > 0) log.LogInformation("Event chain back-filled: {Events} events written before it existed", chained);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        catch (Exception e) when (e is NpgsqlException or PostgresException)
        {
            // Not a transient error (those are retried by EventChain.Backfill): the next start continues where this one
            // stopped; verification reports unchained events meanwhile.
            log.LogWarning(e, "Back-filling the event chain stopped; the next start goes on");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await backfill.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
