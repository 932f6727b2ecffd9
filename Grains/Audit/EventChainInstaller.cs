using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.Hosting;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Installs the event chain (see <see cref="EventChain"/>) when the silo starts: after Marten has created its
/// tables and before anything is seeded, so every event from then on is chained by the database itself.
/// </summary>
public sealed class EventChainInstaller(IDocumentStore store, ILogger<EventChainInstaller> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Marten applies its schema on start too, but the order of hosted services is not ours to rely on.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = store.Storage.Database.CreateConnection();
        await EventChain.Install(connection, cancellationToken);
        log.LogInformation("Event chain installed on {Schema}.mt_events", MartenSetup.Schema);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
