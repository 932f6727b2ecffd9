using EpiGrid.Platform;

namespace EpiGrid.Audit;

/// <summary>
/// A point in two times: <see cref="AsOf"/>, the moment of the world (events filter on when they occurred), and
/// <see cref="KnownAt"/>, the moment of EpiGrid's knowledge (events filter on when they were recorded).
/// "9 February as known on 9 February" leaves out reports that arrived later; "as known today" includes them.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.moment")]
public readonly record struct Moment([property: Id(0)] DateTimeOffset AsOf, [property: Id(1)] DateTimeOffset KnownAt)
{
    /// <summary>Both times default to now; a knowledge time alone also sets the world's (what was believed then, about then).</summary>
    public static Moment From(DateTimeOffset? asOf, DateTimeOffset? knownAt, DateTimeOffset now) =>
        new(asOf ?? knownAt ?? now, knownAt ?? now);

    /// <summary>The earliest moment a replay can be asked for (the latest: a year after now).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Whether a replay can be asked for this time: from 2000 to a year after now. The rules count days around a moment,
    /// and 9999-12-31 left no day to count (a 500 before this check).
    /// </summary>
    public static bool Replayable(DateTimeOffset time, DateTimeOffset now) => time >= Earliest && time <= now.AddDays(366);

    public bool Knows(IEpiEvent e) => e.Meta.RecordedAt <= KnownAt;

    public bool Includes(IEpiEvent e) => e.Meta.OccurredAt <= AsOf && Knows(e);
}
