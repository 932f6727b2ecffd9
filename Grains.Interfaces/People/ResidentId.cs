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

    /// <summary>330782********1234: region and last four only.</summary>
    public static string Mask(string idNumber)
    {
        var id = Normalise(idNumber);
        return id.Length == 18 ? id[..6] + new string('*', 8) + id[14..] : new string('*', id.Length);
    }
}

/// <summary>Mobile numbers: 138****5678.</summary>
public static class PhoneNumber
{
    public static string Normalise(string phone) => new(phone.Where(char.IsAsciiDigit).ToArray());

    public static string? Problem(string? phone) =>
        phone is null ? null : Normalise(phone) is { Length: >= 7 and <= 15 } ? null : "Must be 7 to 15 digits.";

    public static string Mask(string phone)
    {
        var digits = Normalise(phone);
        return digits.Length >= 7 ? digits[..3] + new string('*', digits.Length - 7) + digits[^4..] : new string('*', digits.Length);
    }
}
