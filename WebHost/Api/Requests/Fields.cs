using System.Globalization;
using System.Text.RegularExpressions;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Checks shared by the request types: ids, free text, and moments in the world.</summary>
static partial class Fields
{
    /// <summary>Nothing EpiGrid records happened before the first reported cases.</summary>
    public static readonly DateTimeOffset Earliest = new(2019, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Allows for clocks of reporting systems running a little ahead of ours.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public const int MaxIdLength = 64;

    public static string? Id(FieldErrors errors, string field, string? value, bool required = true)
    {
        if (value is null)
        {
            if (required) errors.Add(field, "Required.");
            return null;
        }

        if (!IdPattern().IsMatch(value))
        {
            errors.Add(field, $"Must be 1-{MaxIdLength} characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'.");
            return null;
        }
        return value;
    }

    public static string? Text(FieldErrors errors, string field, string? value, int maxLength, bool required = true)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) errors.Add(field, "Required, and not blank.");
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(field, $"At most {maxLength} characters.");
            return null;
        }

        // JSON bodies are checked as they are read; CSV cells arrive here unchecked.
        if (StrictStrings.Problem(text) is { } problem)
        {
            errors.Add(field, problem);
            return null;
        }
        return text;
    }

    /// <summary>One of a few lowercase words, case-insensitively; null when absent and not required.</summary>
    public static string? OneOf(FieldErrors errors, string field, string? value, IReadOnlyList<string> allowed, bool required = true)
    {
        if (value is null)
        {
            if (required) errors.Add(field, $"Required: one of {string.Join(", ", allowed)}.");
            return null;
        }

        var word = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (word is null) errors.Add(field, $"Must be one of {string.Join(", ", allowed)}.");
        return word;
    }

    /// <summary>
    /// An ISO-8601 time with an explicit offset: without one, "08:00" in Zhejiang and on a UTC server would be
    /// eight hours apart, and a case could land on the wrong day.
    /// </summary>
    public static DateTimeOffset? Moment(FieldErrors errors, string field, string? value, DateTimeOffset now)
    {
        if (Parsed(errors, field, value) is not { } moment) return null;

        if (moment > now + FutureTolerance)
        {
            errors.Add(field, $"Must not be in the future (now is {now:O}).");
            return null;
        }

        if (moment < Earliest)
        {
            errors.Add(field, $"Must not be before {Earliest:yyyy-MM-dd}.");
            return null;
        }
        return moment;
    }

    /// <summary>A moment still to come, such as the end of a control: an ISO-8601 time with offset after <paramref name="now"/>.</summary>
    public static DateTimeOffset? FutureMoment(FieldErrors errors, string field, string value, DateTimeOffset now)
    {
        if (Parsed(errors, field, value) is not { } moment) return null;
        if (moment <= now)
        {
            errors.Add(field, $"Must be after now (now is {now:O}).");
            return null;
        }
        return moment;
    }

    static DateTimeOffset? Parsed(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            errors.Add(field, "Required: an ISO-8601 time with offset, e.g. 2020-02-01T09:30:00+08:00.");
            return null;
        }

        if (!MomentPattern().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
        {
            errors.Add(field, "Must be an ISO-8601 time with offset, e.g. 2020-02-01T09:30:00+08:00 or 2020-02-01T01:30:00Z.");
            return null;
        }
        return moment;
    }

    // \z, not $: "$" also matches before a final line break, so "id\n" would pass.
    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex MomentPattern();
}
