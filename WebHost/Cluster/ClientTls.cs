using EpiGrid.Cluster;
using Orleans.Connections.Security;

namespace EpiGrid.WebHost.Cluster;

/// <summary>
/// Mutual TLS from this Orleans client (the web host, or any tool built on it) to the silos' gateways when
/// "Cluster:Tls" names a certificate; the same rules as the silos' side (Silo/Cluster/SiloTls.cs).
/// </summary>
public static class ClientTls
{
    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterTlsOptions options)
    {
        if (!options.Enabled) return client;
        var certificate = ClusterCertificate.Load(options);
        var trust = ClusterPeerTrust.From(options);
        return client.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (peer, _, errors) => trust.Accepts(peer, errors);
        });
    }
}
