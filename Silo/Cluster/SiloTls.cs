using EpiGrid.Cluster;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace EpiGrid.Silo.Cluster;

/// <summary>
/// Mutual TLS on the silo's connections (to other silos and from clients at the gateway) when "Cluster:Tls" names a
/// certificate: both ends present a certificate, and each accepts only a peer <see cref="ClusterPeerTrust"/> accepts.
/// </summary>
public static class SiloTls
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterTlsOptions options)
    {
        if (!options.Enabled) return silo;
        var certificate = ClusterCertificate.Load(options);
        var trust = ClusterPeerTrust.From(options);
        return silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (peer, _, errors) => trust.Accepts(peer, errors);
        });
    }
}
