using EpiGrid.Events;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// A point in two times: <see cref="AsOf"/>, the moment of the world (events filter on when they occurred), and
/// <see cref="KnownAt"/>, the moment of EpiGrid's knowledge (events filter on when they were recorded).
/// "9 February as known on 9 February" leaves out reports that arrived later; "as known today" includes them.
/// </summary>
public readonly record struct Moment(DateTimeOffset AsOf, DateTimeOffset KnownAt)
{
    /// <summary>Both times default to now; a knowledge time alone also sets the world's (what was believed then, about then).</summary>
    public static Moment From(DateTimeOffset? asOf, DateTimeOffset? knownAt, DateTimeOffset now) =>
        new(asOf ?? knownAt ?? now, knownAt ?? now);

    static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Moments a replay can be asked for: from 2000 to a year after now. The rules count days around a moment, and
    /// 9999-12-31 left no day to count (a 500 before this check).
    /// </summary>
    public static ProblemDetails? Refusal(DateTimeOffset? asOf, DateTimeOffset? knownAt, DateTimeOffset now, string asOfField = "asOf")
    {
        var errors = new FieldErrors();
        foreach (var (field, value) in new[] { (asOfField, asOf), ("knownAt", knownAt) })
            if (value is { } v && (v < Earliest || v > now.AddDays(366)))
                errors.Add(field, $"Must be a moment between {Earliest:yyyy-MM-dd} and a year from now.");
        return errors.Any ? errors.ToProblem() : null;
    }

    public bool Knows(IEpiEvent e) => e.Meta.RecordedAt <= KnownAt;

    public bool Includes(IEpiEvent e) => e.Meta.OccurredAt <= AsOf && Knows(e);
}
