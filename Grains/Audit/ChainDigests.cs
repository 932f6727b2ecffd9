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
    /// <summary>Events younger than this wait for the next digest (a margin; correctness does not depend on it).</summary>
    public TimeSpan DigestLag { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a digest waits for the transactions running when it started to end, before it skips its turn.</summary>
    public TimeSpan DigestSettleTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The ECDSA P-256 private key that signs digests (PEM or base64 PKCS#8); silos only, never the database. See <see cref="DigestSigner"/>.</summary>
    public string? DigestSigningKey { get; init; }
}

/// <summary>Takes the province's periodic digests (see <see cref="EventChain.FoldDigestSql"/>), signed by <see cref="DigestSigner"/>. Any silo may; they serialise.</summary>
public sealed class ChainDigests(IDocumentStore store, DigestSigner signer, IOptions<AuditOptions> options, ILogger<ChainDigests> log) : BackgroundService
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

    /// <summary>The sequence number the new digest reaches, or null when nothing new was settled.</summary>
    public async Task<long?> TakeDigest(CancellationToken cancellationToken = default)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        var settled = await SettledSequence(connection, options.Value.DigestSettleTimeout, cancellationToken);
        if (settled is null)
        {
            log.LogInformation("A transaction that may still commit events stayed open; the province digest waits for the next turn");
            return null;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var serialise = new NpgsqlCommand(EventChain.DigestLockSql, connection, transaction))
            await serialise.ExecuteNonQueryAsync(cancellationToken);
        var digest = await Fold(connection, transaction, settled.Value, cancellationToken);
        if (digest is null) return null;
        // Signed here, in the silo: the database receives the signature and public key, never the private key.
        var signed = signer.Sign(digest);
        await using var insert = new NpgsqlCommand(EventChain.InsertDigestSql, connection, transaction);
        insert.Parameters.AddWithValue("upto", signed.UptoSeq);
        insert.Parameters.AddWithValue("from", signed.FromSeq);
        insert.Parameters.AddWithValue("events", signed.Events);
        insert.Parameters.AddWithValue("prev", signed.PrevDigest);
        insert.Parameters.AddWithValue("digest", signed.Digest);
        insert.Parameters.AddWithValue("taken", signed.TakenAt);
        insert.Parameters.AddWithValue("key_id", (object?)signed.KeyId ?? DBNull.Value);
        insert.Parameters.Add(new NpgsqlParameter("public_key", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)signed.PublicKey ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter("signature", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)signed.Signature ?? DBNull.Value });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return signed.UptoSeq;
    }

    async Task<ProvinceDigest?> Fold(NpgsqlConnection connection, NpgsqlTransaction transaction, long settled, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EventChain.FoldDigestSql, connection, transaction);
        command.Parameters.AddWithValue("lag", options.Value.DigestLag);
        command.Parameters.AddWithValue("settled", settled);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ProvinceDigest(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3),
            reader.GetFieldValue<byte[]>(4), DigestStatement.Microseconds(DateTime.UtcNow), null, null, null);
    }

    /// <summary>
    /// A sequence number at or below which every event that will ever commit has committed, or null if the
    /// transactions that could still commit one did not end within <paramref name="timeout"/>. First the sequence's
    /// last number, then the snapshot: every transaction holding a number up to it had taken its transaction id
    /// before drawing it (the chain's before-insert trigger), so it is below the snapshot's xmax; once the oldest
    /// running transaction is past that xmax, all of them have ended.
    /// </summary>
    static async Task<long?> SettledSequence(NpgsqlConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var last = await Scalar<long>(connection, $"select last_value from {Storage.MartenSetup.Schema}.mt_events_sequence", cancellationToken);
        var xmax = await Scalar<string>(connection, "select pg_snapshot_xmax(pg_current_snapshot())::text", cancellationToken);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var check = new NpgsqlCommand("select pg_snapshot_xmin(pg_current_snapshot()) >= @xmax::xid8", connection);
            check.Parameters.AddWithValue("xmax", xmax);
            if ((bool)(await check.ExecuteScalarAsync(cancellationToken))!) return last;
            if (DateTime.UtcNow >= deadline) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
