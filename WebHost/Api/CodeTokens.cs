using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using EpiGrid.People;
using Microsoft.Extensions.Options;
using QRCoder;

namespace EpiGrid.WebHost.Api;

/// <summary>Section "CodeTokens": how long a health code's token (the QR a citizen shows) is valid.</summary>
public sealed record CodeTokenOptions
{
    public const string Section = "CodeTokens";
    /// <summary>Minutes, so a screenshot of a code is soon worthless; the public page renews it before it runs out.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);
}

public sealed record CodeToken(string Token, DateTimeOffset ExpiresAt, string Id);

/// <summary>
/// The token a citizen's QR code carries (issue 16): the person's reference and the token's expiry, sealed with AES-256-GCM
/// under a key derived (HKDF-SHA256) from <c>PersonalData:HashKey</c>. A checkpoint learns nothing from the token itself (no
/// identity number, no bare person reference): only the platform can open it, and one changed character or an expired time
/// makes it refused. Every web host with the same hash key reads every other's tokens. Times are real time, as for the
/// bearer tokens: a lifetime is measured by the clock on the wall, not the domain clock.
/// </summary>
public sealed class CodeTokens(IConfiguration config, IOptionsMonitor<CodeTokenOptions> options, TimeProvider? clock = null)
{
    const string Prefix = "c1.";
    const int NonceSize = 12, TagSize = 16, RefSize = 25, PayloadSize = RefSize + 8;
    static readonly byte[] Associated = Encoding.ASCII.GetBytes(Prefix);
    static readonly System.Buffers.SearchValues<char> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    readonly byte[]? key = IdentityHashing.KeyOf(config) is { } secret && HashKeyQuality.Problem(secret) is null
        ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.ASCII.GetBytes("epigrid/code-token/v1"))
        : null;
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>False when no hash key is configured: no token can be made or read (503, as for identity reports).</summary>
    public bool Configured => key is not null;

    public CodeToken Issue(string personRef)
    {
        if (key is null) throw new InvalidOperationException("PersonalData:HashKey is not configured.");
        if (!PersonsApi.PersonRefPattern(personRef)) throw new ArgumentException("Not a person reference.", nameof(personRef));
        var expires = clock.GetUtcNow() + options.CurrentValue.Lifetime;
        Span<byte> plain = stackalloc byte[PayloadSize];
        Encoding.ASCII.GetBytes(personRef, plain[..RefSize]);
        BinaryPrimitives.WriteInt64BigEndian(plain[RefSize..], expires.ToUnixTimeMilliseconds());
        var sealedBytes = new byte[NonceSize + PayloadSize + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, PayloadSize), sealedBytes.AsSpan(NonceSize + PayloadSize), Associated);
        return new CodeToken(Prefix + Base64Url.EncodeToString(sealedBytes), DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds()),
            Base64Url.EncodeToString(nonce));
    }

    /// <summary>The person a token names, or why it is refused (altered, not a token, expired).</summary>
    public (string? PersonRef, CodeToken? Token, string? Refusal) Read(string? token)
    {
        if (key is null) throw new InvalidOperationException("PersonalData:HashKey is not configured.");
        var expectedLength = Prefix.Length + Base64Url.GetEncodedLength(NonceSize + PayloadSize + TagSize);
        if (token is null || token.Length != expectedLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
            return (null, null, "Not a health code token of this platform / 不是本平台的健康码");
        var sealedBytes = new byte[NonceSize + PayloadSize + TagSize];
        if (token.AsSpan(Prefix.Length).ContainsAnyExcept(Alphabet) || !Decode(token.AsSpan(Prefix.Length), sealedBytes))
            return (null, null, "Not a health code token of this platform / 不是本平台的健康码");
        var plain = new byte[PayloadSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, PayloadSize), sealedBytes.AsSpan(NonceSize + PayloadSize), plain, Associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            return (null, null, "The token was altered or was not made by this platform / 健康码无效（已被篡改）");
        }
        var personRef = Encoding.ASCII.GetString(plain, 0, RefSize);
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(RefSize)));
        if (expires <= clock.GetUtcNow())
            return (null, null, $"The token expired at {expires:O}; the holder's page shows a new one / 健康码已过期，请刷新");
        return (personRef, new CodeToken(token, expires, Base64Url.EncodeToString(sealedBytes.AsSpan(0, NonceSize))), null);
    }

    static bool Decode(ReadOnlySpan<char> text, byte[] into)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(text, into, out var written) && written == into.Length;
        }
        catch (FormatException)
        {
            // Characters of the alphabet that still do not decode (bits after the last byte): not a token of ours.
            return false;
        }
    }

    /// <summary>
    /// The token as a QR image (PNG data URL), its dark modules in a dark shade of the code's colour so any scanner reads
    /// it (a light yellow on white would not), drawn by QRCoder with its quiet zone.
    /// </summary>
    public static string Qr(string token, string colour)
    {
        byte[] dark = colour switch
        {
            "red" => [0xB0, 0x00, 0x20, 0xFF],
            "yellow" => [0x8A, 0x6A, 0x00, 0xFF],
            _ => [0x0B, 0x7A, 0x35, 0xFF],
        };
        using var data = QRCodeGenerator.GenerateQrCode(token, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6, dark, [0xFF, 0xFF, 0xFF, 0xFF], drawQuietZones: true);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
