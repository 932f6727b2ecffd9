using Marten;
using Microsoft.Extensions.Hosting;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Runs at silo start after the schema is migrated (<see cref="Audit.EventChainInstaller"/>) and before the group
/// commit, the seeding and Orleans: refuses to start if Marten's tables lost something <see cref="EventRows"/> writes
/// (<see cref="MartenTableCheck"/>), and rebuilds the registers when they were last rebuilt with another
/// <see cref="RegistersVersion"/> (nothing else writes yet, so the rebuild has the store to itself).
/// </summary>
public sealed class StoreReadiness(IDocumentStore store, RegisterRebuild rebuild, ILogger<StoreReadiness> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await MartenTableCheck.Ensure(connection, cancellationToken);
        var stored = await RegistersVersion.Stored(connection, cancellationToken);
        if (stored == RegistersVersion.Current) return;
        log.LogWarning("Registers were rebuilt with version {Stored}, this silo writes version {Current}: rebuilding them from the events", stored, RegistersVersion.Current);
        var report = await rebuild.Run(cancellationToken);
        await RegistersVersion.Store(connection, RegistersVersion.Current, cancellationToken);
        log.LogInformation("Registers rebuilt at start in {Took}", report.Took);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
