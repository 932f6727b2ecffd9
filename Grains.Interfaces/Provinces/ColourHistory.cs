using EpiGrid.Audit;
using EpiGrid.Platform;

namespace EpiGrid.Provinces;

/// <summary>
/// Counts of counties per colour that Zhejiang published in February 2020 (high / fairly high / medium / fairly low / low:
/// red / orange / yellow / blue / green), from the provincial health commission's press conferences
/// (http://xw381.com/content/2020-02/13/content_9012914.html; docs/sources.md). Changes were also published on 24 February;
/// its counts were not found, so that day has no reference point.
/// </summary>
public static class PublishedColourCounts
{
    public const string Source = "http://xw381.com/content/2020-02/13/content_9012914.html";

    public static readonly IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, int>> Days = new Dictionary<DateOnly, IReadOnlyDictionary<string, int>>
    {
        [new DateOnly(2020, 2, 9)] = Counts(1, 12, 12, 53, 12),
        [new DateOnly(2020, 2, 12)] = Counts(1, 11, 13, 17, 48),
        [new DateOnly(2020, 2, 19)] = Counts(0, 7, 7, 9, 67),
        [new DateOnly(2020, 2, 27)] = Counts(0, 0, 0, 2, 88),
    };

    static IReadOnlyDictionary<string, int> Counts(int red, int orange, int yellow, int blue, int green) =>
        new Dictionary<string, int> { ["red"] = red, ["orange"] = orange, ["yellow"] = yellow, ["blue"] = blue, ["green"] = green };
}

/// <summary>One local day of the map's history: counties per colour at the day's end, and what was published for it, if anything.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.colour-history-day")]
public sealed record ColourHistoryDay(
    [property: Id(0)] DateOnly Date, [property: Id(1)] IReadOnlyDictionary<string, int> Counts,
    [property: Id(2)] IReadOnlyDictionary<string, int>? Published);

/// <summary>A county's level and colour at the end of each day of the history, in the order of its days.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.county-colour-days")]
public sealed record CountyColourDays([property: Id(0)] string Code, [property: Id(1)] IReadOnlyList<string> Levels, [property: Id(2)] IReadOnlyList<string> Colours);

/// <summary>The map's history (issue 17) under one rule set: per local day, the counts per colour and each county's colour.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.colour-history")]
public sealed record ColourHistory(
    [property: Id(0)] string RuleSet, [property: Id(1)] string RuleVersion, [property: Id(2)] DateOnly From, [property: Id(3)] DateOnly To,
    [property: Id(4)] IReadOnlyList<ColourHistoryDay> Days, [property: Id(5)] IReadOnlyList<CountyColourDays> Counties, [property: Id(6)] string PublishedSource)
{
    static readonly string[] FiveColours = ["red", "orange", "yellow", "blue", "green"];

    /// <summary>
    /// Samples each county's colour timeline (a replay: its colour at the start and at every change) at the end of each local
    /// day, or at <paramref name="now"/> for today. Pure.
    /// </summary>
    public static ColourHistory Of(WhatIfResponse timelines, DateOnly from, DateOnly to, TimeSpan utcOffset, DateTimeOffset now)
    {
        var dates = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
        DateTimeOffset EndOf(DateOnly day)
        {
            var end = day.AddDays(1).Start(utcOffset).AddTicks(-1);
            return end < now ? end : now;
        }
        var counties = timelines.Counties.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
        {
            var at = dates.Select(d => c.Value.LastOrDefault(x => x.At <= EndOf(d)) ?? c.Value[0]).ToList();
            return new CountyColourDays(c.Key, at.Select(x => x.Level).ToList(), at.Select(x => x.Colour).ToList());
        }).ToList();
        var days = dates.Select((d, i) =>
        {
            var counts = FiveColours.ToDictionary(c => c, _ => 0);
            foreach (var county in counties) counts[county.Colours[i]] = counts.GetValueOrDefault(county.Colours[i]) + 1;
            return new ColourHistoryDay(d, counts, PublishedColourCounts.Days.GetValueOrDefault(d));
        }).ToList();
        return new ColourHistory(timelines.RuleSet, timelines.RuleVersion, from, to, days, counties, PublishedColourCounts.Source);
    }
}
