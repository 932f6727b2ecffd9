using System.Security.Cryptography;

namespace EpiGrid.Tests.Audit;

/// <summary>The audit platform with a digest signing key, made fresh for the fixture (never a committed key).</summary>
public sealed class SignedDigestsApp : AuditApp
{
    readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SignedDigestsApp()
    {
        PrivateKeyBase64 = Convert.ToBase64String(key.ExportPkcs8PrivateKey());
        PrivateScalarHex = Convert.ToHexStringLower(key.ExportParameters(true).D!);
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    public string PrivateKeyBase64 { get; }
    public string PrivateScalarHex { get; }
    public string PublicKeyPem { get; }

    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?>(base.SiloSettings)
    {
        ["Audit:DigestSigningKey"] = PrivateKeyBase64,
    };
}
