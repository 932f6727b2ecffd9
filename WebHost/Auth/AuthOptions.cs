using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace EpiGrid.WebHost.Auth;

/// <summary>Configuration of token signing and validation (section "Auth"). The key never lives in appsettings.</summary>
public sealed record AuthOptions
{
    public const string Section = "Auth";
    public const int MinimumKeyBytes = 32;

    /// <summary>HMAC-SHA256 key: base64, or a plain string, of at least 32 bytes. Set it with env <c>Auth__SigningKey</c>.</summary>
    public string? SigningKey { get; init; }
    public string Issuer { get; init; } = "epigrid-local";
    public string Audience { get; init; } = "epigrid";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

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

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SecurityKey(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        NameClaimType = ClaimNames.Subject,
        RoleClaimType = ClaimNames.Role,
    };
}
