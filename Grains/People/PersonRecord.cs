using EpiGrid.People;
using EpiGrid.Platform;

namespace EpiGrid.Grains.People;

/// <summary>
/// Where a person's watch stands, written with each of their events: the quarantine watch of their county is
/// rebuilt from these when it wakes. Holds no identity number, only the keyed reference and a masked form.
/// </summary>
public sealed record PersonRecord
{
    public string Id { get; init; } = "";
    public string County { get; init; } = "";
    public string CellId { get; init; } = "";
    public string MaskedId { get; init; } = "";
    public string Colour { get; init; } = "green";
    /// <summary>Every day of the watch up to this one has a check-in or a recorded miss: the watch goes on from the next.</summary>
    public DateOnly CoveredThrough { get; init; }
    public long Version { get; init; }
    /// <summary>
    /// The stays in counties of the province (issue 16), and the newest colour change of the county each was screened
    /// against: the place screening of each county finds its visitors here.
    /// </summary>
    public List<StayRecord> Stays { get; init; } = [];

    public static PersonRecord Of(PersonState s, TimeSpan utcOffset)
    {
        DateOnly Day(DateTimeOffset t) => t.LocalDay(utcOffset);
        // The day of arrival (or of the latest exposure, case status or self-declaration) asks no check-in: the watch covers it from the start.
        var marks = s.Exposures.Select(e => e.At).Concat(s.Cases.Values.Select(c => c.StatusAt)).Concat(s.Declarations.Select(d => d.Meta.OccurredAt)).ToList();
        var covered = marks.Count == 0 ? Day(s.Arrivals[^1].ArrivedAt) : Day(marks.Max());
        var checkedIn = s.CheckIns.Select(c => Day(c.At)).ToHashSet();
        while (checkedIn.Contains(covered.AddDays(1)) || s.MissedDays.Contains(covered.AddDays(1))) covered = covered.AddDays(1);
        return new PersonRecord
        {
            Id = s.PersonRef, County = s.County ?? "", CellId = s.CellId ?? "", MaskedId = s.MaskedId ?? "",
            Colour = s.LastCode?.Colour ?? "green", CoveredThrough = covered, Version = s.Version,
            Stays = [.. s.Stays.Where(x => x.Stay.County is not null).GroupBy(x => x.Stay).Select(g => new StayRecord(g.Key.County!, g.Key.From, g.Key.To,
                s.PlaceRisks.Where(p => p.County == g.Key.County && p.StayFrom == g.Key.From).Select(p => p.CountyVersion)
                    .Concat(g.Select(x => x.ScreenedThrough)).Max()))],
        };
    }

    public WatchEntry ToEntry() => new(Id, CellId, Colour, CoveredThrough, MaskedId);
}

/// <summary>One stay of a person in a county, as the county's place screening reads it.</summary>
public sealed record StayRecord(string County, DateTimeOffset From, DateTimeOffset To, long NotedThrough);
