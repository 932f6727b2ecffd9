using System.Security.Cryptography.X509Certificates;

namespace EpiGrid.Cluster;

/// <summary>Loads this node's certificate for cluster TLS from a PKCS#12 file or a PEM certificate and key.</summary>
public static class ClusterCertificate
{
    public static X509Certificate2 Load(ClusterTlsOptions options)
    {
        var path = options.CertificatePath ?? throw new InvalidOperationException($"{ClusterTlsOptions.Section}:CertificatePath is not set");
        if (!File.Exists(path)) throw new InvalidOperationException($"{ClusterTlsOptions.Section}:CertificatePath: no file at {path}");
        var certificate = string.IsNullOrWhiteSpace(options.CertificateKeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : X509Certificate2.CreateFromPemFile(path, options.CertificateKeyPath);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{ClusterTlsOptions.Section}:CertificatePath: the certificate has no private key");
        return certificate;
    }
}
