namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// The platform in its production profile, on real loopback sockets: tokens come from an OpenID Connect issuer
/// (<see cref="Issuer"/>, started first), and the host has no signing key of its own.
/// </summary>
public sealed class ProductionApp : EpiGridApp
{
    public OidcIssuer Issuer { get; } = new();
    public override string Environment => "Production";
    public override bool RealServer => true;
    public override IDictionary<string, string?> WebSettings => Issuer.HostSettings;

    public override async Task InitializeAsync()
    {
        await Issuer.Start();
        await base.InitializeAsync();
    }

    public override string Token(string role, string? county = null, params string[] cells) => Issuer.Issue(role, county, cells, subject: $"test-{role}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
