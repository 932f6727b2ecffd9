using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.People;

/// <summary>One fact a person's code was judged on: an exposure, one of their cases, a check-in, a visit or a missed day.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.code-fact")]
public sealed record CodeFact([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Kind, [property: Id(2)] string Detail);

/// <summary>
/// A person's code as it stood at a moment (as of <see cref="AsOf"/>, with what was known at <see cref="KnownAt"/>), and
/// every fact the code rules judged, in the order they occurred (issue 16: auditors see why). Identities masked.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.person-code-history")]
public sealed record PersonCodeHistory(
    [property: Id(0)] string PersonRef, [property: Id(1)] string MaskedId, [property: Id(2)] string? CellId,
    [property: Id(3)] DateTimeOffset AsOf, [property: Id(4)] DateTimeOffset KnownAt, [property: Id(5)] string Colour,
    [property: Id(6)] string Reason, [property: Id(7)] DateTimeOffset ValidUntil, [property: Id(8)] string RuleVersion,
    [property: Id(9)] int RequiredDays, [property: Id(10)] int NormalDaysInARow, [property: Id(11)] IReadOnlyList<CodeFact> Facts)
{
    /// <summary>The facts of a person's state that the code rules judge, oldest first.</summary>
    /// <param name="utcOffset">The province's local time, whose days a missed check-in names.</param>
    public static IReadOnlyList<CodeFact> FactsOf(PersonState state, TimeSpan utcOffset) =>
        state.Exposures.Select(e => new CodeFact(e.At, e.Kind switch
            {
                ExposureKind.ArrivalFromHighRisk => "arrival-high-risk",
                ExposureKind.ArrivalFromMediumRisk => "arrival-medium-risk",
                ExposureKind.CloseContact => "close-contact",
                ExposureKind.SymptomsDeclared => "symptoms-declared",
                ExposureKind.PlaceHighRisk => "place-high-risk",
                ExposureKind.PlaceMediumRisk => "place-medium-risk",
                ExposureKind.SecondaryContact => "secondary-contact",
                _ => "post-discharge",
            }, e.Detail))
            .Concat(state.Stays.Select(s => new CodeFact(s.Stay.From, "stay",
                $"{s.Stay.Place}, {s.Stay.From:O} to {s.Stay.To:O} ({s.From.Source} record {s.From.RecordId})")))
            .Concat(state.Declarations.Select(d => new CodeFact(d.Meta.OccurredAt, "self-declaration",
                $"from phone {d.MaskedPhone}, staying in {d.DeclaredCellId}" + (d.Symptoms.Count > 0 ? $"; symptoms {string.Join(", ", d.Symptoms)}" : "")
                + (d.ContactWithCase ? "; contact with a case" : ""))))
            .Concat(state.Cases.Values.Select(c => new CodeFact(c.StatusAt, "case", $"{c.CaseId}: {c.Kind.Name()}, {c.Status.Name()}")))
            .Concat(state.Cases.Values.Where(c => c.Status == CaseStatus.Recovered).Select(c => new CodeFact(c.StatusAt, "post-discharge", c.CaseId)))
            .Concat(state.CheckIns.Select(c => new CodeFact(c.At, c.IsNormal ? "check-in" : "check-in-abnormal", c.Describe())))
            // Visits (issue 19): what the grid worker found; a reading taken at one is a check-in above as well.
            .Concat(state.Visits.Select(v => new CodeFact(v.Meta.OccurredAt, "visit",
                $"{v.Outcome} (visit {v.VisitId} by {v.Meta.Actor}" + (v.QuarantineKept is { } kept ? $", quarantine {(kept ? "kept" : "not kept")}" : "") + ")")))
            .Concat(state.MissedDays.Select(d => new CodeFact(d.Start(utcOffset), "check-in-missed", $"{d:yyyy-MM-dd}")))
            .DistinctBy(f => (f.At, f.Kind, f.Detail)).OrderBy(f => f.At).ToList();
}
