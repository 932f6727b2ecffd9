using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Signs province digests with ECDSA P-256 (SHA-256, IEEE P1363 signature) using <c>Audit:DigestSigningKey</c>, a
/// private key held by the silos only (PEM, or base64 PKCS#8 DER; SEC1 DER accepted). The database gets the public key, its id and the
/// signature, never the private key: whoever can write the database cannot forge a digest an auditor exported.
/// Without a key the platform runs and its digests are unsigned; it says so once, at start.
/// </summary>
public sealed class DigestSigner : IDisposable
{
    readonly ECDsa? key;

    public DigestSigner(IOptions<AuditOptions> options, ILogger<DigestSigner> log)
    {
        key = Load(options.Value.DigestSigningKey);
        if (key is null)
        {
            log.LogWarning("No Audit:DigestSigningKey: province digests are written unsigned; an exported digest file cannot prove the store unchanged");
            return;
        }
        PublicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = KeyIdOf(PublicKey);
        log.LogInformation("Province digests are signed with key {KeyId}", KeyId);
    }

    public string? KeyId { get; }
    public byte[]? PublicKey { get; }

    /// <summary>The key id: the first 16 hex digits of SHA-256 over the public key (SubjectPublicKeyInfo DER). Our choice.</summary>
    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>The digest with its key id, public key and signature; unchanged when no key is configured.</summary>
    public ProvinceDigest Sign(ProvinceDigest digest)
    {
        if (key is null) return digest;
        var keyed = digest with { KeyId = KeyId, PublicKey = PublicKey, Signature = null };
        return keyed with { Signature = key.SignData(DigestStatement.Bytes(keyed), HashAlgorithmName.SHA256) };
    }

    static ECDsa? Load(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured)) return null;
        var ecdsa = ECDsa.Create();
        try
        {
            if (configured.Contains("-----BEGIN", StringComparison.Ordinal)) ecdsa.ImportFromPem(configured);
            else
            {
                // PKCS#8 as documented; SEC1 ("EC PRIVATE KEY" DER, what openssl genpkey -outform DER writes) accepted too.
                var der = Convert.FromBase64String(configured.Trim());
                try { ecdsa.ImportPkcs8PrivateKey(der, out _); }
                catch (CryptographicException) { ecdsa.ImportECPrivateKey(der, out _); }
            }
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException("Audit:DigestSigningKey is not an EC private key (PEM, or base64 PKCS#8)", e);
        }
        if (ecdsa.KeySize != 256)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException("Audit:DigestSigningKey must be a P-256 key");
        }
        return ecdsa;
    }

    public void Dispose() => key?.Dispose();
}
