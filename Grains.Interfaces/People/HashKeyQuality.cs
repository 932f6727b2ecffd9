using System.Text;

namespace EpiGrid.People;

/// <summary>
/// Whether a configured identity hash key can protect identities. The keyed hash is what stops anyone who reads
/// the store from recomputing person references out of guessed identity numbers, so a guessable key is no key:
/// the web host refuses to start with one (issue 14: the Kubernetes secret shipped a placeholder that passed the
/// length check). Pure, so the rule is tested without a host.
/// </summary>
/// <remarks>
/// The thresholds are our choice, not a published rule: at least 32 bytes (HMAC-SHA256's output size), no
/// placeholder words, and an estimated 128 bits or more, estimated as the characters' Shannon entropy times the
/// length of the shortest repeating period (a key pasted twice counts once). Keys made as the deploy notes say
/// (<c>head -c 48 /dev/urandom | base64</c>, <c>openssl rand -base64 32</c>) estimate above 200 bits.
/// </remarks>
public static class HashKeyQuality
{
    public const int MinBytes = 32, MinEstimatedBits = 128;

    /// <summary>Words of placeholders and examples (6 letters or more, so a random key practically never holds one).</summary>
    static readonly string[] PlaceholderWords = ["changeme", "placeholder", "example", "replace", "secret", "password", "dummy", "insert", "fillin"];

    /// <summary>Null when the key is fit; otherwise why not, in words for the start-up message (never the key itself).</summary>
    public static string? Problem(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return "it is empty.";
        if (Encoding.UTF8.GetByteCount(key) < MinBytes) return $"it is shorter than {MinBytes} bytes.";
        var letters = new string(key.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        if (PlaceholderWords.FirstOrDefault(letters.Contains) is { } word)
            return $"it looks like a placeholder (it contains \"{word}\").";
        var bits = EstimatedBits(key);
        if (bits < MinEstimatedBits) return $"it is too predictable (about {bits:0} bits estimated; at least {MinEstimatedBits} needed).";
        if (MostlySequential(key)) return "it is a run of repeated or consecutive characters.";
        return null;
    }

    /// <summary>Shannon entropy of the characters times the length of the shortest period.</summary>
    public static double EstimatedBits(string key)
    {
        var period = Enumerable.Range(1, key.Length).First(p => Enumerable.Range(p, key.Length - p).All(i => key[i] == key[i - p]));
        var sample = key[..period];
        var perChar = -sample.GroupBy(c => c).Sum(g => (double)g.Count() / sample.Length * Math.Log2((double)g.Count() / sample.Length));
        return perChar * period;
    }

    /// <summary>"abcdef...", "aaaa...", "987654...": more than half of neighbours one apart or equal.</summary>
    static bool MostlySequential(string key) =>
        Enumerable.Range(1, key.Length - 1).Count(i => Math.Abs(key[i] - key[i - 1]) <= 1) * 2 > key.Length - 1;
}
