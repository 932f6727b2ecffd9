using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EpiGrid.Cluster;

namespace EpiGrid.Tests.Cluster;

/// <summary>The PEM path that deploy/local-cluster.sh up --tls uses, pinning by thumbprint, and the refusal of TLS that trusts nobody in particular.</summary>
public sealed class ClusterCertificateTests
{
    [Fact]
    public void A_PEM_certificate_and_key_load_and_a_pinned_thumbprint_is_accepted_without_a_CA()
    {
        using var certificates = new TestCertificates();
        var (ca, caPath) = certificates.CreateCa("pem");
        var pfx = X509CertificateLoader.LoadPkcs12FromFile(certificates.CreateNode(ca, "node", "p"), "p");
        var certPath = Path.Combine(certificates.Folder, "node.pem");
        var keyPath = Path.Combine(certificates.Folder, "node.key");
        File.WriteAllText(certPath, pfx.ExportCertificatePem());
        File.WriteAllText(keyPath, pfx.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var loaded = ClusterCertificate.Load(new ClusterTlsOptions { CertificatePath = certPath, CertificateKeyPath = keyPath });
        loaded.HasPrivateKey.ShouldBeTrue();

        var pin = Convert.ToHexString(SHA256.HashData(loaded.RawData));
        var pinned = ClusterPeerTrust.From(new ClusterTlsOptions { CertificatePath = certPath, AllowedThumbprints = pin.ToLowerInvariant() });
        pinned.Accepts(loaded, SslPolicyErrors.RemoteCertificateChainErrors).ShouldBeTrue("pinned thumbprint");
        pinned.Accepts(ca, SslPolicyErrors.None).ShouldBeFalse("another certificate is not pinned");
        ClusterPeerTrust.From(new ClusterTlsOptions { CertificatePath = certPath, CaCertificatePath = caPath })
            .Accepts(loaded, SslPolicyErrors.RemoteCertificateNameMismatch).ShouldBeTrue("chains to the CA; names are not how peers are identified");
    }

    [Fact]
    public void TLS_without_a_CA_or_a_pinned_thumbprint_refuses_to_start()
    {
        var e = Should.Throw<InvalidOperationException>(() => ClusterPeerTrust.From(new ClusterTlsOptions { CertificatePath = "node.pfx" }));
        e.Message.ShouldContain("CaCertificatePath");
    }
}
