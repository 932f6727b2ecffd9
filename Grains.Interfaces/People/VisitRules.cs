using EpiGrid.Platform;

namespace EpiGrid.People;

/// <summary>A visit as a grid worker reports it (issue 19), checked for shape at the edge.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.visit-report")]
public sealed record VisitReport(
    [property: Id(0)] Provenance By, [property: Id(1)] string VisitId, [property: Id(2)] string? PersonRef,
    [property: Id(3)] string? AlertId, [property: Id(4)] DateTimeOffset VisitedAt, [property: Id(5)] string Outcome,
    [property: Id(6)] bool? QuarantineKept, [property: Id(7)] decimal? Temperature, [property: Id(8)] IReadOnlyList<string> Symptoms,
    [property: Id(9)] string? Note);

/// <summary>
/// What a visit means (issue 19). Pure and versioned like the other rules. EpiGrid's reading, not a published rule: a
/// person not at home at two visits in a row, or refusing a visit, is for the county's officials; a person who moved away
/// is for them to locate; a temperature or symptoms taken at a visit are a check-in (<see cref="CheckInOf"/>) and judged by
/// <see cref="HealthCodeRules"/> as any.
/// </summary>
public static class VisitRules
{
    /// <summary>Named in each visit's Meta.Reason: which reading decided its count of not-home visits.</summary>
    public const string Version = "visits-2026-12-04.1";

    public const string Found = "found", NotHome = "not-home", MovedAway = "moved-away", Refused = "refused";
    public static readonly IReadOnlyList<string> Outcomes = [Found, NotHome, MovedAway, Refused];

    /// <summary>The not-home visit that escalates: the second in a row.</summary>
    public const int NotHomeEscalatesAt = 2;

    /// <summary>
    /// How many not-home visits in a row this one ends (0 unless it is one): the earlier visits of the same subject (the
    /// person, or for a cell's own visits the alert they answer), by when they took place, counted back from this one.
    /// </summary>
    public static int NotHomeInARow(IEnumerable<VisitRecorded> earlier, string outcome, DateTimeOffset visitedAt)
    {
        if (outcome != NotHome) return 0;
        var run = 1;
        foreach (var v in earlier.Where(v => v.Meta.OccurredAt <= visitedAt).OrderByDescending(v => v.Meta.OccurredAt))
        {
            if (v.Outcome != NotHome) break;
            run++;
        }
        return run;
    }

    /// <summary>The visit as an event: <paramref name="earlier"/> are the visits of its subject already recorded.</summary>
    public static VisitRecorded Record(VisitReport v, string cellId, string county, IEnumerable<VisitRecorded> earlier, DateTimeOffset now) => new(
        v.VisitId, cellId, county, v.PersonRef, v.AlertId, v.Outcome, v.QuarantineKept, v.Temperature, v.Symptoms, v.Note,
        NotHomeInARow(earlier, v.Outcome, v.VisitedAt),
        new EventMeta(v.By.Actor, v.By.Source, v.VisitedAt, now, $"visit {v.Outcome} (rules {Version})", v.By.CorrelationId));

    /// <summary>A temperature or symptoms taken from a named person at a visit: a check-in at the visit's moment.</summary>
    public static CheckIn? CheckInOf(VisitRecorded v) =>
        v.PersonRef is not null && (v.Temperature is not null || v.Symptoms.Count > 0) ? new CheckIn(v.Meta.OccurredAt, v.Temperature, v.Symptoms) : null;

    /// <summary>Refused, or not at home for the second time in a row (or more): the county's officials take it up.</summary>
    public static bool Escalates(VisitRecorded v) => v.Outcome == Refused || (v.Outcome == NotHome && v.NotHomeInARow >= NotHomeEscalatesAt);

    /// <summary>Whether the reading taken at the visit is abnormal (fever from <see cref="CheckIn.FeverFrom"/>, or any symptom).</summary>
    public static bool Abnormal(VisitRecorded v) => v.Temperature >= CheckIn.FeverFrom || v.Symptoms.Count > 0;
}
