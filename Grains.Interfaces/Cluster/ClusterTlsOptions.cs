namespace EpiGrid.Cluster;

/// <summary>
/// Mutual TLS between silos and between web hosts and the silos' gateways (section "Cluster:Tls"). Off when no
/// certificate is configured: one machine in development talks over loopback only (the silos listen there alone).
/// </summary>
public sealed record ClusterTlsOptions
{
    public const string Section = "Cluster:Tls";

    /// <summary>This node's certificate: a PKCS#12 file (.pfx/.p12, with <see cref="CertificatePassword"/>) or a PEM certificate (with <see cref="CertificateKeyPath"/>).</summary>
    public string? CertificatePath { get; init; }
    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; init; }
    public string? CertificatePassword { get; init; }
    /// <summary>PEM certificate of the cluster's CA: a peer is accepted when its certificate chains to this CA.</summary>
    public string? CaCertificatePath { get; init; }
    /// <summary>Or (also): SHA-256 thumbprints (hex, comma-separated) of the peer certificates accepted as they are.</summary>
    public string? AllowedThumbprints { get; init; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
