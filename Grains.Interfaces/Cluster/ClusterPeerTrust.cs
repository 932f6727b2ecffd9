using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EpiGrid.Cluster;

/// <summary>
/// Decides whether the other end of a silo or gateway connection belongs to the cluster: its certificate chains to the
/// cluster's own CA, or its SHA-256 thumbprint is pinned. Our choice: a peer is identified by that certificate, not by
/// a host name, because silos and clients reach each other by IP address (pod IPs change with every restart), so a
/// name mismatch alone does not refuse a peer; an expired certificate or one from another CA does.
/// </summary>
public sealed class ClusterPeerTrust
{
    readonly X509Certificate2? ca;
    readonly HashSet<string> thumbprints;

    public ClusterPeerTrust(X509Certificate2? ca, IEnumerable<string> thumbprints)
    {
        this.ca = ca;
        this.thumbprints = thumbprints.Select(t => t.Replace(":", "").Trim().ToUpperInvariant()).Where(t => t.Length > 0).ToHashSet();
        if (ca is null && this.thumbprints.Count == 0)
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}: set CaCertificatePath or AllowedThumbprints; TLS that accepts any peer certificate authenticates nobody.");
    }

    public static ClusterPeerTrust From(ClusterTlsOptions options) => new(
        string.IsNullOrWhiteSpace(options.CaCertificatePath) ? null : X509Certificate2.CreateFromPem(File.ReadAllText(options.CaCertificatePath)),
        (options.AllowedThumbprints ?? "").Split(','));

    public bool Accepts(X509Certificate2? peer, SslPolicyErrors errors)
    {
        if (peer is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        if (thumbprints.Contains(Convert.ToHexString(SHA256.HashData(peer.RawData)))) return true;
        return ca is not null && ChainsToClusterCa(peer, ca);
    }

    static bool ChainsToClusterCa(X509Certificate2 peer, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A private cluster CA publishes no revocation list; revoke by re-issuing the CA (deploy/README.md).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer);
    }
}
