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

    public bool Knows(IEpiEvent e) => e.Meta.RecordedAt <= KnownAt;

    public bool Includes(IEpiEvent e) => e.Meta.OccurredAt <= AsOf && Knows(e);
}
