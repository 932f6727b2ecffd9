using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Tamper evidence for the event store. A trigger on <c>mt_events</c> chains every event to the previous event of
/// its stream: hash = sha256(prevHash ‖ stream \n version \n type \n data), kept in <c>event_chain</c>. Periodic
/// province digests fold every chained hash, in sequence order, into a rolling sha256 (<c>chain_digest</c>).
/// The write path is untouched: whatever appends to <c>mt_events</c> is chained in the same transaction.
/// The SQL (<see cref="EventChainSql"/>) and <see cref="Hash"/> are the one definition of the format; verification
/// recomputes it in .NET.
/// </summary>
public static class EventChain
{
    const string S = Storage.MartenSetup.Schema;
    public const string ChainTable = S + ".event_chain";
    public const string DigestTable = S + ".chain_digest";
    public const string StateTable = S + ".event_chain_state";

    /// <summary>Events chained per back-fill transaction: small enough that no batch holds anything for long.</summary>
    public const int BackfillBatch = 2_000;

    /// <summary>The hash of one event, given the hash of the previous event of its stream (empty for the first).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> previous, string stream, long version, string type, string data)
    {
        var body = Encoding.UTF8.GetBytes($"{stream}\n{version}\n{type}\n{data}");
        var input = new byte[previous.Length + body.Length];
        previous.CopyTo(input);
        body.CopyTo(input.AsSpan(previous.Length));
        return SHA256.HashData(input);
    }

    /// <summary>
    /// Installs (or updates) the chain's tables, functions and triggers in one short transaction; see
    /// <see cref="EventChainSql.Install"/>. It does not back-fill: that is <see cref="Backfill"/>, which never blocks writers.
    /// </summary>
    public static async Task Install(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(EventChainSql.Install, connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Chains the events written before the chain existed, <see cref="BackfillBatch"/> at a time, each batch its own
    /// short transaction taking only row locks on <c>event_chain</c>: inserts into <c>mt_events</c> go on meanwhile
    /// (a writer that appends to a stream not yet back-filled chains that stream's backlog itself). Returns the number
    /// of events chained; once a pass finds nothing left it is recorded, and later starts return at once.
    /// </summary>
    /// <remarks>
    /// A batch can be aborted without fault of its own: it takes its rows in the order a writer's transaction chaining
    /// several streams' backlogs does (stream, then version), so the two wait for each other but do not deadlock, yet
    /// anything taking them in another order can (PostgreSQL then aborts one, 40P01); a failover or a lost connection
    /// ends a batch too. Such a batch was rolled back whole, so it is tried
    /// again, after a pause that doubles up to <see cref="BackfillRetryCap"/>: a transient error never ends the back-fill
    /// until the next start. Any other error ends it (the caller logs it; the next start goes on).
    /// </remarks>
    public static async Task<long> Backfill(Func<NpgsqlConnection> connect, int batch = BackfillBatch, CancellationToken cancellationToken = default)
    {
        long chained = 0, after = 0;
        var pause = BackfillRetryFirst;
        while (!cancellationToken.IsCancellationRequested)
        {
            (long Last, long Chained)? done;
            try { done = await BackfillBatchAfter(connect, after, batch, cancellationToken); }
            catch (NpgsqlException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, BackfillRetryCap.Ticks));
                continue;
            }
            if (done is not { } next) return chained;
            (after, chained, pause) = (next.Last, chained + next.Chained, BackfillRetryFirst);
        }
        return chained;
    }

    static readonly TimeSpan BackfillRetryFirst = TimeSpan.FromMilliseconds(100);
    /// <summary>The longest pause before a batch aborted by a transient error is tried again.</summary>
    public static readonly TimeSpan BackfillRetryCap = TimeSpan.FromSeconds(10);

    /// <summary>One batch, its own transaction: the last sequence number looked at and how many were chained; null when none is left.</summary>
    static async Task<(long Last, long Chained)?> BackfillBatchAfter(Func<NpgsqlConnection> connect, long after, int batch, CancellationToken cancellationToken)
    {
        await using var connection = connect();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"select last_seq, chained from {S}.chain_backfill(@after, @batch)", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("batch", batch);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? null : (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Folds the chained events after the last digest into a new one (computed here, recorded by <see cref="InsertDigestSql"/>): sha256(previous digest ‖ hash ‖ hash ...), in
    /// sequence order, up to @settled: a sequence number below which no transaction still running can commit an event
    /// (see <see cref="ChainDigests"/>). Sequence numbers are drawn at insert but become visible at commit, so a
    /// digest over "everything visible now" would miss an earlier number committed later, and read as broken.
    /// Events chained less than @lag ago wait too (a margin of the deployment's choosing, not needed for correctness).
    /// Run after <see cref="DigestLockSql"/> in the same transaction: digests are taken one at a time.
    /// </summary>
    public const string DigestLockSql = "select pg_advisory_xact_lock(hashtext('epigrid.chain_digest'))";

    public const string FoldDigestSql = $"""
        with last as (
            select coalesce(max(upto_seq), 0) as upto,
                   coalesce((select digest from {DigestTable} order by upto_seq desc limit 1), '\x'::bytea) as digest
            from {DigestTable}),
        upto as (
            select max(c.seq_id) as seq from {ChainTable} c, last
            where c.seq_id > last.upto and c.seq_id <= @settled and c.chained_at < clock_timestamp() - @lag),
        range as (
            select c.hash, c.seq_id from {ChainTable} c, last, upto
            where c.seq_id > last.upto and c.seq_id <= upto.seq)
        select upto.seq, last.upto, (select count(*) from range), last.digest,
               sha256(last.digest || (select string_agg(hash, ''::bytea order by seq_id) from range))
        from last, upto where upto.seq is not null;
        """;

    /// <summary>Records a digest computed by <see cref="FoldDigestSql"/> in the same transaction, with its signature if any.</summary>
    public const string InsertDigestSql = $"""
        insert into {DigestTable} (upto_seq, from_seq, events, prev_digest, digest, taken_at, key_id, public_key, signature)
        values (@upto, @from, @events, @prev, @digest, @taken, @key_id, @public_key, @signature)
        """;
}
