using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace EpiGrid.WebHost.Auth;

/// <summary>
/// Configuration of token validation (section "Auth"). Production trusts an OpenID Connect issuer
/// (<see cref="Authority"/>); the local profile alone may instead sign its own tokens with <see cref="SigningKey"/>.
/// No key ever lives in appsettings.
/// </summary>
public sealed record AuthOptions
{
    public const string Section = "Auth";
    public const int MinimumKeyBytes = 32;

    /// <summary>The OpenID Connect issuer (https://login.example.org/realms/epigrid): its discovery document names the
    /// issuer and the JWKS whose keys sign tokens. Required outside Development.</summary>
    public string? Authority { get; init; }
    /// <summary>Fetch the discovery document over HTTPS only; false is for a test issuer on loopback.</summary>
    public bool RequireHttpsMetadata { get; init; } = true;
    /// <summary>Shortest time between two fetches of the issuer's keys when a token names a key not yet known
    /// (a rotation); keys are also refreshed every 12 hours.</summary>
    public TimeSpan KeyRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Development only: HMAC-SHA256 key, base64 or plain text, at least 32 bytes (env <c>Auth__SigningKey</c>).</summary>
    public string? SigningKey { get; init; }
    /// <summary>The issuer of the local profile's own tokens (with an authority, the discovery document names it).</summary>
    public string Issuer { get; init; } = "epigrid-local";
    public string Audience { get; init; } = "epigrid";
    /// <summary>The web app's own sign-in at the issuer (section "Auth:Client"); without it the web app offers operators'
    /// token box only (and the local profile's picker).</summary>
    public BrowserClientOptions Client { get; init; } = new();

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Algorithms an issuer may sign with: asymmetric only, so no shared secret (nor a public key used as one) signs.</summary>
    public static readonly IReadOnlyList<string> IssuerAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public bool UsesIssuer => !string.IsNullOrWhiteSpace(Authority);
    /// <summary>The web app signs people in at the issuer: an issuer, and a client registered there for the browser.</summary>
    public bool HasBrowserClient => UsesIssuer && !string.IsNullOrWhiteSpace(Client.ClientId);
    /// <summary>Where browsers reach the issuer: <see cref="BrowserClientOptions.Authority"/>, else <see cref="Authority"/>.</summary>
    public string? BrowserAuthority => HasBrowserClient ? (string.IsNullOrWhiteSpace(Client.Authority) ? Authority : Client.Authority)!.TrimEnd('/') : null;
    public bool HasUsableKey => KeyBytes() is not null;

    public SymmetricSecurityKey SecurityKey() => new(KeyBytes()
        ?? throw new InvalidOperationException($"{Section}:SigningKey is missing or shorter than {MinimumKeyBytes} bytes."));

    /// <summary>Base64 wins when the text is valid base64 of enough bytes; otherwise the UTF-8 bytes of the text.</summary>
    byte[]? KeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey)) return null;
        var buffer = new byte[SigningKey.Length];
        if (Convert.TryFromBase64String(SigningKey, buffer, out var written) && written >= MinimumKeyBytes)
            return buffer[..written];
        var plain = Encoding.UTF8.GetBytes(SigningKey);
        return plain.Length >= MinimumKeyBytes ? plain : null;
    }

    /// <summary>Local profile: tokens signed with the shared key.</summary>
    public TokenValidationParameters ValidationParameters() => Common(new TokenValidationParameters
    {
        ValidIssuer = Issuer,
        IssuerSigningKey = SecurityKey(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
    });

    /// <summary>An OpenID Connect issuer: issuer and signing keys come from its discovery document and JWKS.</summary>
    public TokenValidationParameters IssuerValidationParameters() => Common(new TokenValidationParameters
    {
        ValidateIssuer = true,
        ValidateIssuerSigningKey = true,
        ValidAlgorithms = IssuerAlgorithms,
    });

    TokenValidationParameters Common(TokenValidationParameters parameters)
    {
        parameters.ValidAudience = Audience;
        parameters.ValidateAudience = true;
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.RequireSignedTokens = true;
        parameters.ClockSkew = ClockSkew;
        parameters.NameClaimType = ClaimNames.Subject;
        parameters.RoleClaimType = ClaimNames.Role;
        return parameters;
    }
}

/// <summary>
/// The web app as a public client of the issuer (section "Auth:Client"): authorization code flow with PKCE in the browser
/// (oidc-client-ts), renewed with refresh tokens. Published to the web app anonymously on <c>GET /api/v1/public/map</c>
/// (<c>signIn</c>): none of it is secret.
/// </summary>
public sealed record BrowserClientOptions
{
    /// <summary>The client id registered at the issuer for the web app (a public client: no secret). Empty: no sign-in button.</summary>
    public string? ClientId { get; init; }
    /// <summary>Scopes asked for; <c>offline_access</c> brings the refresh token that renews the access token silently.</summary>
    public string Scope { get; init; } = "openid offline_access";
    /// <summary>The issuer's address as browsers reach it, when it differs from <see cref="AuthOptions.Authority"/> (which the
    /// web host uses, e.g. through a cluster-internal name). Its discovery document must name the same issuer.</summary>
    public string? Authority { get; init; }
    /// <summary>The provider's name on the sign-in button ("Sign in with ..."); empty: the authority's host name.</summary>
    public string? ProviderName { get; init; }
}
