using System.Security.Claims;
using System.Security.Cryptography;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// A tiny OpenID Connect issuer on a real loopback port: a discovery document and a JWKS of RSA keys, and tokens
/// signed with its current key. <see cref="Rotate"/> retires the key and publishes a new one, as real issuers do.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    public const string Audience = "epigrid";
    WebApplication? web;
    volatile RsaSecurityKey current = NewKey();

    public Uri Authority { get; private set; } = null!;
    public string Issuer => Authority.ToString().TrimEnd('/');
    public RsaSecurityKey CurrentKey => current;
    /// <summary>How often the JWKS was fetched: a rotation is noticed by fetching it again.</summary>
    public int KeyFetches => keyFetches;
    int keyFetches;

    /// <summary>What a web host needs to trust this issuer.</summary>
    public IDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Auth:Authority"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:KeyRefreshInterval"] = "00:00:01",
    };

    public async Task Start()
    {
        var port = FreePort.Next();
        Authority = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Authority.ToString());
        builder.Logging.ClearProviders();
        web = builder.Build();
        web.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
            ["response_types_supported"] = new[] { "id_token" },
            ["subject_types_supported"] = new[] { "public" },
        }));
        web.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref keyFetches);
            var p = current.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA", ["use"] = "sig", ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = current.KeyId!,
                        ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                    },
                },
            });
        });
        await web.StartAsync();
    }

    /// <summary>Retire the current key and sign with (and publish only) a new one.</summary>
    public void Rotate() => current = NewKey();

    /// <summary>A token as the issuer would sign it; each parameter can be spoiled to make a bad one.</summary>
    public string Issue(string role, string? county = null, IEnumerable<string>? cells = null, TimeSpan? lifetime = null,
        string? audience = null, string? issuer = null, SecurityKey? key = null, DateTimeOffset? issuedAt = null, string subject = "oidc-user")
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new List<Claim> { new(ClaimNames.Subject, subject), new(ClaimNames.Role, role) };
        if (county is not null) claims.Add(new Claim(ClaimNames.County, county));
        claims.AddRange((cells ?? []).Select(c => new Claim(ClaimNames.Cell, c)));
        var signingKey = key ?? current;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey,
                signingKey is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256),
        });
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..12] };

    public async ValueTask DisposeAsync()
    {
        if (web is not null) await web.DisposeAsync();
    }
}
