using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EpiGrid.WebHost.Auth;

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Mints EpiGrid tokens: used by the development token endpoint and by tests. Tokens are stamped with real
/// time, never the domain clock, because their lifetime is checked against real time.
/// </summary>
public sealed class TokenIssuer(AuthOptions options, TimeProvider? clock = null)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    readonly SigningCredentials credentials = new(options.SecurityKey(), SecurityAlgorithms.HmacSha256);
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    public IssuedToken Issue(string subject, string role, string? county = null, IEnumerable<string>? cells = null, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + (lifetime ?? DefaultLifetime);
        var claims = new List<Claim> { new(ClaimNames.Subject, subject), new(ClaimNames.Role, role) };
        if (county is not null) claims.Add(new Claim(ClaimNames.County, county));
        claims.AddRange((cells ?? []).Distinct().Select(cell => new Claim(ClaimNames.Cell, cell)));

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = credentials,
        });
        return new IssuedToken(token, expires);
    }
}
