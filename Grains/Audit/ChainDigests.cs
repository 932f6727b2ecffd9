using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EpiGrid.Grains.Audit;

/// <summary>Options of the tamper evidence (section "Audit").</summary>
public sealed record AuditOptions
{
    public const string Section = "Audit";
    /// <summary>How often the province's rolling digest over all streams is taken.</summary>
    public TimeSpan DigestInterval { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Events younger than this wait for the next digest, so no transaction in flight can fall behind one.</summary>
    public TimeSpan DigestLag { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Takes the province's periodic digests (see <see cref="EventChain.TakeDigestSql"/>). Any silo may; they serialise.</summary>
public sealed class ChainDigests(IDocumentStore store, IOptions<AuditOptions> options, ILogger<ChainDigests> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DigestInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TakeDigest(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or PostgresException)
            {
                log.LogWarning(e, "Could not take the province digest; will try again");
            }
        }
    }

    /// <summary>The sequence number the new digest reaches, or null when nothing new was old enough.</summary>
    public async Task<long?> TakeDigest(CancellationToken cancellationToken = default)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(EventChain.TakeDigestSql, connection, transaction);
        command.Parameters.AddWithValue("lag", options.Value.DigestLag);
        var upto = await command.ExecuteScalarAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return upto as long?;
    }
}
