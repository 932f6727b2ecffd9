namespace EpiGrid.WebHost.Audit;

/// <summary>A digest from an exported file, sent back to ask whether the store still folds to it.</summary>
public sealed record DigestClaim(long? UptoSeq, long? FromSeq, long? Events, string? PrevDigest, string? Digest);

public sealed record DigestCheckRequest(IReadOnlyList<DigestClaim>? Digests);

/// <summary>The HTTP side of a digest check: the claims of an exported file, read field by field. The silo folds them again.</summary>
public static class DigestClaims
{
    /// <summary>Digests one check may name: a request stays well under the body limit (about 250 bytes each).</summary>
    public const int MaxClaims = 1000;

    /// <summary>Field errors of a check request (named "digests[i].field"), or the parsed claims.</summary>
    public static IReadOnlyList<CheckedDigestClaim>? Read(DigestCheckRequest? request, FieldErrors errors)
    {
        if (request?.Digests is not { Count: > 0 } claims)
        {
            errors.Add("digests", "Required: the digests to check (uptoSeq, fromSeq, events, prevDigest, digest each).");
            return null;
        }
        if (claims.Count > MaxClaims) errors.Add("digests", $"At most {MaxClaims} a request; send the rest in further requests.");
        var read = new List<CheckedDigestClaim>();
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
            if (!errors.Any) read.Add(new CheckedDigestClaim(c.UptoSeq!.Value, c.FromSeq!.Value, c.Events!.Value, prev!, digest!));
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
}
