using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EpiGrid.Tests.Cluster;

/// <summary>A throw-away cluster CA and node certificates, written to a temporary folder as PEM and PKCS#12 files.</summary>
public sealed class TestCertificates : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("epigrid-tls-").FullName;

    /// <summary>A self-signed CA; its certificate is written to <c>{name}-ca.pem</c>.</summary>
    public (X509Certificate2 Ca, string Path) CreateCa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);   // lives as long as the CA certificate that signs with it
        var request = new CertificateRequest($"CN={name} test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Folder, $"{name}-ca.pem");
        File.WriteAllText(path, ca.ExportCertificatePem());
        return (ca, path);
    }

    /// <summary>A node certificate signed by <paramref name="ca"/>, for server and client authentication, as a PKCS#12 file.</summary>
    public string CreateNode(X509Certificate2 ca, string name, string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var path = Path.Combine(Folder, $"{name}.pfx");
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx, password));
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
