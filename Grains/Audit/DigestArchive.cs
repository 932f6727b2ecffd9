using System.Security.Cryptography;
using EpiGrid.Audit;
using EpiGrid.Grains.Storage;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// The province digests for auditors: all of them as a file they keep outside the platform, and the check of such a
/// file against the store today. The check recomputes each digest from the chain's hashes in its range and the
/// previous digest it names; whether the chain's hashes still match the events is <see cref="ChainVerifier"/>'s part.
/// </summary>
public sealed class DigestArchive(IEventHistory history)
{
    public async Task<DigestFile> Export(CancellationToken cancellationToken)
    {
        await using var snapshot = await history.Snapshot(null, cancellationToken);
        var digests = new List<ExportedDigest>();
        await using var command = snapshot.Command($"""
            select upto_seq, from_seq, events, prev_digest, digest, taken_at, key_id, public_key, signature
            from {EventChain.DigestTable} order by upto_seq
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byte[]? Bytes(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<byte[]>(i);
            var d = new ProvinceDigest(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), Bytes(3)!, Bytes(4)!,
                reader.GetFieldValue<DateTime>(5), reader.IsDBNull(6) ? null : reader.GetString(6), Bytes(7), Bytes(8));
            digests.Add(new ExportedDigest(d.UptoSeq, d.FromSeq, d.Events, Convert.ToHexStringLower(d.PrevDigest), Convert.ToHexStringLower(d.Digest),
                DigestStatement.Microseconds(d.TakenAt), d.KeyId, d.PublicKey is null ? null : Convert.ToBase64String(d.PublicKey),
                d.Signature is null ? null : Convert.ToBase64String(d.Signature), d.Statement));
        }
        return new DigestFile(DigestFile.CurrentFormat, digests);
    }

    /// <summary>The digests the store no longer folds to, as breaks of the province-digest stream at their sequence.</summary>
    public async Task<IReadOnlyList<ChainBreak>> Check(IReadOnlyList<CheckedDigestClaim> claims, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        await using var snapshot = await history.Snapshot(timeout, cancellationToken);
        var breaks = new List<ChainBreak>();
        foreach (var c in claims)
        {
            using var fold = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            fold.AppendData(c.Prev);
            long count = 0;
            await using var command = snapshot.Command($"select hash from {EventChain.ChainTable} where seq_id > @from and seq_id <= @upto order by seq_id");
            command.Parameters.AddWithValue("from", c.From);
            command.Parameters.AddWithValue("upto", c.Upto);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                fold.AppendData(reader.GetFieldValue<byte[]>(0));
                count++;
            }
            if (count != c.Events || !fold.GetHashAndReset().AsSpan().SequenceEqual(c.Digest))
                breaks.Add(new ChainBreak(ChainVerifier.DigestStream, c.Upto,
                    $"exported digest: the events chained in sequence {c.From + 1}..{c.Upto} no longer fold to the exported digest ({count} events now, {c.Events} then)"));
        }
        return breaks;
    }
}
