using System.Globalization;

namespace EpiGrid.People;

/// <summary>
/// A mainland resident identity number (居民身份证号码, GB 11643-1999): 6-digit region code, 8-digit birth date,
/// 3-digit sequence, 1 check character computed over the first 17 (ISO 7064 MOD 11-2; "X" stands for 10).
/// </summary>
public static class ResidentId
{
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const string CheckCharacters = "10X98765432";

    /// <summary>The check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>Null when valid; otherwise why not, in words a clerk can act on.</summary>
    public static string? Problem(string? idNumber, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(idNumber)) return "Required.";
        var id = idNumber.Trim().ToUpperInvariant();
        if (id.Length != 18) return "Must be 18 characters.";
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return "The first 17 characters must be digits.";
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X') return "The last character must be a digit or X.";
        if (id[0] == '0') return "The region code cannot start with 0.";
        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
            || born.Year < 1900 || born > today)
            return "Characters 7-14 must be a real birth date (YYYYMMDD).";
        if (CheckCharacter(id) != id[17]) return "The check character does not match (GB 11643): the number is mistyped.";
        return null;
    }

    /// <summary>Upper-case, trimmed: the form that is hashed, so "x" and "X" are one person.</summary>
    public static string Normalise(string idNumber) => idNumber.Trim().ToUpperInvariant();

    /// <summary>
    /// *****************4: the check character only. Anyone holding the hash key can test a candidate number against a
    /// person reference, so a masked form must leave many candidates: this one leaves every region (≥ 2,844 county
    /// codes), birth date (36,524 in 100 years) and sequence (1,000), one in 11 by the check character: ≥ 9 × 10^9.
    /// The usual first-6-last-4 display (330782********1234) leaves only the birth date, a few thousand. Our choice
    /// against issue 14's floor of 10^8 candidates; docs/security.md says why (MaskingTests count it).
    /// </summary>
    public static string Mask(string idNumber)
    {
        var id = Normalise(idNumber);
        return id.Length == 18 ? new string('*', 17) + id[17] : new string('*', id.Length);
    }
}

/// <summary>Phone numbers: 138******** (the network segment only).</summary>
public static class PhoneNumber
{
    public static string Normalise(string phone) => new(phone.Where(char.IsAsciiDigit).ToArray());

    public static string? Problem(string? phone) =>
        phone is null ? null : Normalise(phone) is { Length: >= 7 and <= 15 } ? null : "Must be 7 to 15 digits.";

    /// <summary>
    /// Shows at most the first three digits, and only as many as leave eight hidden: 10^8 candidates for a mobile
    /// number (the usual 138****5678 leaves 10^4, which the keyed phone hash lets a key holder test in a moment).
    /// Shorter numbers show nothing.
    /// </summary>
    public static string Mask(string phone)
    {
        var digits = Normalise(phone);
        var shown = Math.Clamp(digits.Length - 8, 0, 3);
        return digits[..shown] + new string('*', digits.Length - shown);
    }
}
