namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// The one rule for an acknowledgement's note, over HTTP (POST /alerts/{id}/ack) and over the hub (ack) alike:
/// optional; when given, the strict text every request body gets (no control character, no lone surrogate half: PostgreSQL's
/// jsonb refuses "\u0000") and at most <see cref="MaxLength"/> characters as sent; kept trimmed, and blank means none.
/// An overlong note is refused, never cut: the caller must know that what they wrote is not what was recorded.
/// </summary>
public static class AckNote
{
    /// <summary>Our choice: a sentence or two for whoever reads the alert's history, not a report.</summary>
    public const int MaxLength = 500;

    /// <summary>Why the note cannot be taken, or null; <paramref name="note"/> is what to record (null: no note).</summary>
    public static string? Check(string? raw, out string? note)
    {
        note = null;
        if (raw is null) return null;
        if (raw.Length > MaxLength) return $"At most {MaxLength} characters.";
        if (StrictStrings.Problem(raw) is { } problem) return problem;
        note = raw.Trim() is { Length: > 0 } trimmed ? trimmed : null;
        return null;
    }
}
