using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// How the web host sits behind a TLS-terminating proxy (section "Transport"): which proxies' X-Forwarded-For and
/// X-Forwarded-Proto to believe, and whether to send HSTS on HTTPS requests.
/// </summary>
public sealed record TransportOptions
{
    public const string Section = "Transport";

    /// <summary>Addresses of the proxies in front of the web host, comma-separated (10.0.0.5,10.0.0.6). Forwarded headers
    /// from anyone else are ignored.</summary>
    public string? KnownProxies { get; init; }
    /// <summary>Networks of such proxies in CIDR notation, comma-separated (10.0.0.0/8).</summary>
    public string? KnownNetworks { get; init; }
    /// <summary>Send Strict-Transport-Security on requests that arrived over HTTPS (directly, or at a known proxy).</summary>
    public bool Hsts { get; init; }
    public TimeSpan HstsMaxAge { get; init; } = TimeSpan.FromDays(365);

    public IReadOnlyList<string> Proxies => Split(KnownProxies);
    public IReadOnlyList<string> Networks => Split(KnownNetworks);
    public bool BehindProxy => Proxies.Count > 0 || Networks.Count > 0;

    static string[] Split(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Headers every answer carries: no MIME sniffing, no referrer, no framing, and a Content-Security-Policy. The web
/// app (static files, module scripts, no inline code) gets a strict policy; the API reference (/scalar) and the
/// Orleans dashboard (/dashboard) ship inline scripts and styles (and Scalar evaluates code), so they get a looser
/// one, still loading nothing from other origins (Scalar's web fonts are turned off) and frame-free.
/// </summary>
public static class SecureHeaders
{
    public const string AppPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    public const string ToolPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    static readonly string[] ToolPaths = ["/scalar", "/dashboard"];

    /// <summary>
    /// The web app's policy when it signs people in at an OpenID Connect provider: the browser also fetches the provider's
    /// discovery document, keys and token endpoint (the code exchange, the refresh), so its origin joins connect-src.
    /// Nothing else widens: sign-in and sign-out are top-level navigations, and renewal uses refresh tokens, not an iframe.
    /// </summary>
    public static string AppPolicyFor(string? browserAuthority) => browserAuthority is null ? AppPolicy
        : AppPolicy.Replace("connect-src 'self'", $"connect-src 'self' {new Uri(browserAuthority).GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal);

    public static IServiceCollection AddEpiGridTransport(this IServiceCollection services)
    {
        services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section)
            .Validate(o => o.Proxies.All(p => IPAddress.TryParse(p, out _)), $"{TransportOptions.Section}:KnownProxies: IP addresses only.")
            .Validate(o => o.Networks.All(n => IPNetwork.TryParse(n, out _)), $"{TransportOptions.Section}:KnownNetworks: CIDR networks such as 10.0.0.0/8.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TransportOptions>>((forwarded, transport) =>
        {
            // Only the proxies named in configuration are believed; the defaults (loopback) are replaced, not extended.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in transport.Value.Proxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in transport.Value.Networks) forwarded.KnownIPNetworks.Add(IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>First in the pipeline: the client's address and scheme are known before anything else looks at them.</summary>
    public static WebApplication UseEpiGridTransport(this WebApplication app)
    {
        var transport = app.Services.GetRequiredService<IOptions<TransportOptions>>().Value;
        if (transport.BehindProxy) app.UseForwardedHeaders();
        var hsts = $"max-age={(long)transport.HstsMaxAge.TotalSeconds}; includeSubDomains";
        var appPolicy = AppPolicyFor(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.BrowserAuthority);
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ToolPaths.Any(p => http.Request.Path.StartsWithSegments(p)) ? ToolPolicy : appPolicy;
            if (transport.Hsts && http.Request.IsHttps) headers.StrictTransportSecurity = hsts;
            return next(http);
        });
        return app;
    }
}
