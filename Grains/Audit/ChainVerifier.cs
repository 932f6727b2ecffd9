using System.Security.Cryptography;
using EpiGrid.Audit;
using EpiGrid.Grains.Storage;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Recomputes the event chain in .NET from the stored rows (not with the database's own function), then the
/// province digests over the chained hashes, and reports the first break of each stream. A row changed behind
/// the platform's back no longer matches its hash; a hash rewritten to match no longer matches the next event's
/// link or the digest that covers it.
/// </summary>
public sealed class ChainVerifier(IEventHistory history)
{
    /// <summary>The stream name under which broken province digests are reported.</summary>
    public const string DigestStream = "province-digest";

    /// <summary>Verifies the chain and the digests as of one snapshot, its statements bounded by <paramref name="timeout"/> (none: unbounded).</summary>
    public async Task<VerifyResponse> Verify(IProgress<long>? progress, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        await using var snapshot = await history.Snapshot(timeout, cancellationToken);
        var breaks = new List<ChainBreak>();
        var events = await VerifyStreams(snapshot, breaks, progress, cancellationToken);
        var digests = await VerifyDigests(snapshot, breaks, cancellationToken);
        return new VerifyResponse(breaks.Count == 0, events, digests, breaks);
    }

    static async Task<long> VerifyStreams(HistorySnapshot snapshot, List<ChainBreak> breaks, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var command = snapshot.Command($"""
            select coalesce(e.stream_id, c.stream_id), coalesce(e.version, c.version), e.type, e.data::text, c.prev_hash, c.hash,
                   e.seq_id is null, c.seq_id is null
            from {PostgresEventHistory.EventsTable} e full join {EventChain.ChainTable} c on c.seq_id = e.seq_id
            order by 1, 2
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? stream = null, broken = null;
        byte[] previous = [];
        long version = 0, checkedEvents = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (++checkedEvents % 10_000 == 0) progress?.Report(checkedEvents);
            var rowStream = reader.GetString(0);
            var rowVersion = reader.GetInt64(1);
            if (rowStream != stream) (stream, previous, version) = (rowStream, [], 0);
            if (broken == stream) continue;
            var reason = Check(reader, rowVersion, version, previous, out var hash);
            if (reason is not null)
            {
                breaks.Add(new ChainBreak(rowStream, rowVersion, reason));
                broken = rowStream;
            }
            (previous, version) = (hash, rowVersion);
        }
        progress?.Report(checkedEvents);
        return checkedEvents;
    }

    static string? Check(System.Data.Common.DbDataReader row, long version, long previousVersion, byte[] previousHash, out byte[] hash)
    {
        hash = row.IsDBNull(5) ? [] : row.GetFieldValue<byte[]>(5);
        if (row.GetBoolean(6)) return "missing: the chain holds this event but the store no longer does";
        if (row.GetBoolean(7)) return "unchained: the event was written without passing the chain trigger";
        if (version != previousVersion + 1) return $"gap: version {previousVersion + 1} is missing before this event";
        var prev = row.GetFieldValue<byte[]>(4);
        if (!prev.AsSpan().SequenceEqual(previousHash)) return "link: the chain's previous hash is not the previous event's hash";
        var expected = EventChain.Hash(prev, row.GetString(0), version, row.GetString(2), row.GetString(3));
        return expected.AsSpan().SequenceEqual(hash) ? null : "altered: the event's data or type no longer matches its hash";
    }

    static async Task<int> VerifyDigests(HistorySnapshot snapshot, List<ChainBreak> breaks, CancellationToken cancellationToken)
    {
        var digests = new List<(long Upto, long From, long Events, byte[] Prev, byte[] Digest)>();
        await using (var command = snapshot.Command($"select upto_seq, from_seq, events, prev_digest, digest from {EventChain.DigestTable} order by upto_seq"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                digests.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4)));
        if (digests.Count == 0) return 0;

        await using var hashes = snapshot.Command($"select seq_id, hash from {EventChain.ChainTable} where seq_id <= @upto order by seq_id");
        hashes.Parameters.AddWithValue("upto", digests[^1].Upto);
        await using var rows = await hashes.ExecuteReaderAsync(cancellationToken);
        var hasRow = await rows.ReadAsync(cancellationToken);
        byte[] last = [];
        foreach (var d in digests)
        {
            using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            digest.AppendData(last);
            long count = 0;
            for (; hasRow && rows.GetInt64(0) <= d.Upto; hasRow = await rows.ReadAsync(cancellationToken))
            {
                if (rows.GetInt64(0) <= d.From) continue;
                digest.AppendData(rows.GetFieldValue<byte[]>(1));
                count++;
            }
            var recomputed = digest.GetHashAndReset();
            if (!d.Prev.AsSpan().SequenceEqual(last) || count != d.Events || !recomputed.AsSpan().SequenceEqual(d.Digest))
            {
                breaks.Add(new ChainBreak(DigestStream, d.Upto,
                    $"digest: the events chained up to sequence {d.Upto} no longer fold to the digest taken then"));
                break;
            }
            last = d.Digest;
        }
        return digests.Count;
    }
}
