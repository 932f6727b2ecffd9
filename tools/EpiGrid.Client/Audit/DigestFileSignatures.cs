using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EpiGrid.Client.Audit;

/// <summary>A digest of an exported file whose signature holds, with the values read from its signed statement.</summary>
public sealed record SignedDigest(long UptoSeq, long FromSeq, long Events, string PrevDigest, string Digest, string TakenAt, string KeyId);

/// <summary>
/// Checks an exported province-digest file (<c>GET /api/v1/audit/digests</c>) on its own: each digest's ECDSA P-256
/// signature over its statement, with the auditor's public key or else the key written beside it, and that each digest
/// follows the one before (nothing removed or reordered). Values are read from the signed statement only.
/// </summary>
public static class DigestFileSignatures
{
    const string Header = "epigrid province digest v1";

    /// <summary>A public key from PEM ("BEGIN PUBLIC KEY") or base64 SubjectPublicKeyInfo DER.</summary>
    public static byte[] ReadPublicKey(string text)
    {
        using var ecdsa = ECDsa.Create();
        if (text.Contains("-----BEGIN", StringComparison.Ordinal)) ecdsa.ImportFromPem(text);
        else ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The id the platform gives a key: the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>The digests whose signatures hold, and a message for each that does not (naming it); none read if the file is not one.</summary>
    public static (List<SignedDigest> Digests, List<string> Problems) Check(byte[] file, byte[]? trustedKey)
    {
        var digests = new List<SignedDigest>();
        var problems = new List<string>();
        JsonElement list;
        try
        {
            using var json = JsonDocument.Parse(file);
            if (!json.RootElement.TryGetProperty("digests", out var found) || found.ValueKind != JsonValueKind.Array)
                return (digests, ["the file is not a digest export: no \"digests\" array"]);
            list = found.Clone();
        }
        catch (JsonException e)
        {
            return (digests, [$"the file is not valid JSON (altered or truncated?): {e.Message}"]);
        }
        if (list.GetArrayLength() == 0) return (digests, ["the file holds no digests"]);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var name = $"digest #{++index}" + (item.TryGetProperty("uptoSeq", out var u) && u.ValueKind == JsonValueKind.Number ? $" (up to sequence {u})" : "");
            var (digest, problem) = One(item, trustedKey);
            if (problem is not null) problems.Add($"{name}: {problem}");
            else if (digests.Count > 0 && (digest!.FromSeq != digests[^1].UptoSeq || digest.PrevDigest != digests[^1].Digest))
                problems.Add($"{name}: does not follow the digest before it (one removed or reordered)");
            else if (digests.Count == 0 && index == 1 && (digest!.FromSeq != 0 || digest.PrevDigest.Length != 0))
                problems.Add($"{name}: the file does not start at the first digest");
            if (digest is not null) digests.Add(digest);
        }
        return (digests, problems);
    }

    static (SignedDigest?, string?) One(JsonElement item, byte[]? trustedKey)
    {
        string? Text(string field) => item.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Text("statement") is not { } statement) return (null, "no statement");
        if (Text("signature") is not { } signatureText) return (null, "not signed (the platform had no Audit:DigestSigningKey when it was taken)");
        var fields = Parse(statement);
        if (fields is null) return (null, "the statement is not a province digest statement");
        byte[] key, signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
            key = trustedKey ?? Convert.FromBase64String(Text("publicKey") ?? "");
        }
        catch (FormatException) { return (null, "the signature or public key is not base64"); }
        if (KeyIdOf(key) != fields["key_id"])
            return (null, trustedKey is null ? "the public key beside it is not the key named in the statement" : $"signed with key {fields["key_id"]}, not with the key given ({KeyIdOf(key)})");
        using var ecdsa = ECDsa.Create();
        try { ecdsa.ImportSubjectPublicKeyInfo(key, out _); }
        catch (CryptographicException) { return (null, "the public key beside it is not an EC public key"); }
        if (!ecdsa.VerifyData(Encoding.UTF8.GetBytes(statement), signature, HashAlgorithmName.SHA256))
            return (null, "the signature does not match the statement: the file was altered");
        if (!long.TryParse(fields["upto_seq"], out var upto) || !long.TryParse(fields["from_seq"], out var from) || !long.TryParse(fields["events"], out var events))
            return (null, "the signed statement holds no sequence numbers");
        return (new SignedDigest(upto, from, events, fields["prev_digest"], fields["digest"], fields["taken_at"], fields["key_id"]), null);
    }

    static Dictionary<string, string>? Parse(string statement)
    {
        var lines = statement.Split('\n');
        if (lines.Length < 2 || lines[0] != Header) return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) return null;
            fields[line[..eq]] = line[(eq + 1)..];
        }
        string[] needed = ["upto_seq", "from_seq", "events", "prev_digest", "digest", "taken_at", "key_id"];
        return needed.All(fields.ContainsKey) ? fields : null;
    }
}
