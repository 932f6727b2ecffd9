using System.Security.Cryptography;
using EpiGrid.Grains.Audit;

namespace EpiGrid.WebHost.Audit;

/// <summary>One province digest as an auditor exports it. <c>Statement</c> is the signed text; a verifier reads the values from it.</summary>
public sealed record ExportedDigest(
    long UptoSeq, long FromSeq, long Events, string PrevDigest, string Digest, DateTime TakenAt,
    string? KeyId, string? PublicKey, string? Signature, string Statement);

public sealed record DigestFile(string Format, IReadOnlyList<ExportedDigest> Digests)
{
    public const string CurrentFormat = "epigrid-province-digests/1";
}

/// <summary>A digest from an exported file, sent back to ask whether the store still folds to it.</summary>
public sealed record DigestClaim(long? UptoSeq, long? FromSeq, long? Events, string? PrevDigest, string? Digest);

public sealed record DigestCheckRequest(IReadOnlyList<DigestClaim>? Digests);

/// <summary>
/// The province digests for auditors: all of them as a file they keep outside the platform, and the check of such a
/// file against the store today. The check recomputes each digest from the chain's hashes in its range and the
/// previous digest it names; whether the chain's hashes still match the events is <see cref="ChainVerifier"/>'s part.
/// </summary>
public sealed class DigestArchive(AuditStore store)
{
    /// <summary>Digests one check may name: a request stays well under the body limit (about 250 bytes each).</summary>
    public const int MaxClaims = 1000;

    public async Task<DigestFile> Export(CancellationToken cancellationToken)
    {
        var digests = new List<ExportedDigest>();
        await using var command = store.Source.CreateCommand($"""
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

    /// <summary>Field errors of a check request (named "digests[i].field"), or the parsed claims.</summary>
    public static IReadOnlyList<(long Upto, long From, long Events, byte[] Prev, byte[] Digest)>? Read(DigestCheckRequest? request, FieldErrors errors)
    {
        if (request?.Digests is not { Count: > 0 } claims)
        {
            errors.Add("digests", "Required: the digests to check (uptoSeq, fromSeq, events, prevDigest, digest each).");
            return null;
        }
        if (claims.Count > MaxClaims) errors.Add("digests", $"At most {MaxClaims} a request; send the rest in further requests.");
        var read = new List<(long, long, long, byte[], byte[])>();
        for (var i = 0; i < claims.Count && i < MaxClaims; i++)
        {
            var c = claims[i];
            var at = $"digests[{i}].";
            if (c is null) { errors.Add($"digests[{i}]", "Required."); continue; }
            if (c.FromSeq is not >= 0) errors.Add(at + "fromSeq", "Required: a sequence number, 0 or more.");
            if (c.UptoSeq is null || c.UptoSeq <= c.FromSeq) errors.Add(at + "uptoSeq", "Required: a sequence number above fromSeq.");
            if (c.Events is not >= 0) errors.Add(at + "events", "Required: 0 or more.");
            var prev = Hex(c.PrevDigest, 0, 32);
            if (prev is null) errors.Add(at + "prevDigest", "Required: hex, empty (first digest) or 64 digits.");
            var digest = Hex(c.Digest, 32, 32);
            if (digest is null) errors.Add(at + "digest", "Required: 64 hex digits.");
            if (!errors.Any) read.Add((c.UptoSeq!.Value, c.FromSeq!.Value, c.Events!.Value, prev!, digest!));
        }
        return errors.Any ? null : read;
    }

    static byte[]? Hex(string? text, int minBytes, int maxBytes)
    {
        if (text is null || text.Length % 2 != 0) return null;
        try
        {
            var bytes = Convert.FromHexString(text);
            return bytes.Length == minBytes || bytes.Length == maxBytes ? bytes : null;
        }
        catch (FormatException) { return null; }
    }

    /// <summary>The digests the store no longer folds to, as breaks of the province-digest stream at their sequence.</summary>
    public async Task<IReadOnlyList<ChainBreak>> Check(
        IReadOnlyList<(long Upto, long From, long Events, byte[] Prev, byte[] Digest)> claims, CancellationToken cancellationToken)
    {
        var breaks = new List<ChainBreak>();
        foreach (var c in claims)
        {
            using var fold = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            fold.AppendData(c.Prev);
            long count = 0;
            await using var command = store.Source.CreateCommand($"select hash from {EventChain.ChainTable} where seq_id > @from and seq_id <= @upto order by seq_id");
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
