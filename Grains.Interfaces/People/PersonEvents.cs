using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.People;

// The life of a person under watch. Stream key: "person:<personRef>". No identity or phone number in clear:
// only the keyed reference, masked forms and a keyed phone hash.

/// <summary>Where a report came from: the source system and its own record id (the idempotency key).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.report-source")]
public sealed record ReportSource([property: Id(0)] string Source, [property: Id(1)] string RecordId);

[GenerateSerializer, Immutable, Alias("epigrid.arrival-reported")]
public sealed record ArrivalReported(
    [property: Id(0)] string PersonRef, [property: Id(1)] string ArrivalId, [property: Id(2)] string MaskedId,
    [property: Id(3)] string? Name, [property: Id(4)] string? MaskedPhone, [property: Id(5)] string? PhoneHash,
    [property: Id(6)] string OriginArea, [property: Id(7)] string OriginRisk, [property: Id(8)] string Mode,
    [property: Id(9)] string CellId, [property: Id(10)] string County, [property: Id(11)] ReportSource From,
    [property: Id(12)] EventMeta Meta,
    // Where the quarantine is kept (home or central), and the other exposures a source may report with the arrival.
    [property: Id(13)] string? Quarantine = null, [property: Id(14)] string? CloseContactOf = null,
    [property: Id(15)] IReadOnlyList<string>? DeclaredSymptoms = null) : IEpiEvent;

/// <summary>Another source reported a journey already on record: one arrival, one more source.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.arrival-corroborated")]
public sealed record ArrivalCorroborated(
    [property: Id(0)] string PersonRef, [property: Id(1)] string ArrivalId, [property: Id(2)] ReportSource From,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// A report of the person arriving in another cell, from someone whose reach does not cover the cell the person is on
/// record in (<see cref="ReportAuthority"/>): kept as a report (who said what, when), without moving or re-coding them.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.arrival-report-not-applied")]
public sealed record ArrivalReportNotApplied(
    [property: Id(0)] string PersonRef, [property: Id(1)] string CellId, [property: Id(2)] string County,
    [property: Id(3)] string OnRecordIn, [property: Id(4)] string OriginArea, [property: Id(5)] string OriginRisk,
    [property: Id(6)] string Mode, [property: Id(7)] ReportSource From, [property: Id(8)] EventMeta Meta,
    [property: Id(9)] string? CloseContactOf = null, [property: Id(10)] IReadOnlyList<string>? DeclaredSymptoms = null) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.check-in-recorded")]
public sealed record CheckInRecorded(
    [property: Id(0)] string PersonRef, [property: Id(1)] decimal TemperatureCelsius, [property: Id(2)] IReadOnlyList<string> Symptoms,
    [property: Id(3)] EventMeta Meta,
    // The cell the person stays in when checking in (the alert goes to it); absent from check-ins recorded before.
    [property: Id(4)] string? CellId = null) : IEpiEvent;

/// <summary>A local day of the watch passed with no check-in.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.check-in-missed")]
public sealed record CheckInMissed([property: Id(0)] string PersonRef, [property: Id(1)] DateOnly Day, [property: Id(2)] string CellId,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// One of the person's cases as it stands now (issue 16): the case was reported as this person's, or its status changed.
/// <see cref="CellId"/> and <see cref="County"/> are the person's (where their alerts go); <see cref="CaseCellId"/> is where
/// the case was reported. Meta.OccurredAt is when the status took effect in the world.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.person-case-recorded")]
public sealed record PersonCaseRecorded(
    [property: Id(0)] string PersonRef, [property: Id(1)] string CaseId, [property: Id(2)] string CaseCellId,
    [property: Id(3)] CaseKind Kind, [property: Id(4)] CaseStatus Status, [property: Id(5)] DateTimeOffset ReportedAt,
    [property: Id(6)] string CellId, [property: Id(7)] string County, [property: Id(8)] string? MaskedId,
    [property: Id(9)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// The person was in close contact with a case (issue 16): named by the case investigator, a police or transport match,
/// or a grid worker (<see cref="From"/>, the idempotency key). Meta.OccurredAt is the last contact. <see cref="CellId"/>
/// and <see cref="County"/> are where the person stays (their watch and alerts), which may be another county than the case's.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.contact-recorded")]
public sealed record ContactRecorded(
    [property: Id(0)] string PersonRef, [property: Id(1)] string CaseId, [property: Id(2)] string CaseCounty,
    [property: Id(3)] string MaskedId, [property: Id(4)] string? Name, [property: Id(5)] string? MaskedPhone,
    [property: Id(6)] string? PhoneHash, [property: Id(7)] string CellId, [property: Id(8)] string County,
    [property: Id(9)] string Setting, [property: Id(10)] ReportSource From, [property: Id(11)] EventMeta Meta,
    // 1: a close contact of the case; 2: a contact of the close contact ContactOf (次密接), watched for less.
    [property: Id(12)] int Degree = 1, [property: Id(13)] string? ContactOf = null) : IEpiEvent;

/// <summary>
/// A place the person stayed (issue 16): from their itinerary, self-declared or reported by a source (<see cref="From"/>,
/// the idempotency key of the whole itinerary). Meta.OccurredAt is the stay's first moment. <see cref="CellId"/> and
/// <see cref="County"/> are the person's.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.stay-recorded")]
public sealed record StayRecorded(
    [property: Id(0)] string PersonRef, [property: Id(1)] Stay Stay, [property: Id(2)] ReportSource From,
    [property: Id(3)] string CellId, [property: Id(4)] string County, [property: Id(5)] EventMeta Meta,
    // The county stream's version of the newest colour change the stay was screened against when recorded.
    [property: Id(6)] long ScreenedThrough = 0) : IEpiEvent;

/// <summary>
/// Spatial screening found that a county the person stayed in was (or turned) red, orange or yellow under the default
/// rule set within 14 days of their stay (<see cref="SpatialScreening"/>): the fact the code is judged on. One per stay and
/// colour change of the county (<see cref="CountyVersion"/>). Meta.OccurredAt is the moment the exposure counts from.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.place-risk-noted")]
public sealed record PlaceRiskNoted(
    [property: Id(0)] string PersonRef, [property: Id(1)] string County, [property: Id(2)] string CountyName,
    [property: Id(3)] string Colour, [property: Id(4)] DateTimeOffset ColourSince, [property: Id(5)] string RuleSet,
    [property: Id(6)] string RuleVersion, [property: Id(7)] long CountyVersion, [property: Id(8)] DateTimeOffset StayFrom,
    [property: Id(9)] DateTimeOffset StayTo, [property: Id(10)] string CellId, [property: Id(11)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// The person's own declaration (issue 16, 个人自述), made without an account on the public page by whoever holds the phone it
/// names. It only adds facts about its holder (declared symptoms, contact with a case, the places of its itinerary as
/// <see cref="StayRecorded"/> events beside it): nothing in it can lower a code. <see cref="CellId"/> and <see cref="County"/>
/// are the person's (a person new to the platform is watched where they declared they stay, <see cref="DeclaredCellId"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.self-declared")]
public sealed record SelfDeclared(
    [property: Id(0)] string PersonRef, [property: Id(1)] string MaskedId, [property: Id(2)] string? Name,
    [property: Id(3)] string MaskedPhone, [property: Id(4)] string PhoneHash, [property: Id(5)] string CellId,
    [property: Id(6)] string County, [property: Id(7)] string DeclaredCellId, [property: Id(8)] IReadOnlyList<string> Symptoms,
    [property: Id(9)] bool ContactWithCase, [property: Id(10)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// A declaration for this identity number came from another phone than the one it was first declared from (issue 16):
/// anyone can type anyone's identity number, so it replaces nothing and changes no code; the cell's workers verify who holds
/// it. What it declared is kept for them. One per other phone.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.self-declaration-disputed")]
public sealed record SelfDeclarationDisputed(
    [property: Id(0)] string PersonRef, [property: Id(1)] string MaskedId, [property: Id(2)] string MaskedPhone,
    [property: Id(3)] string PhoneHash, [property: Id(4)] string FirstMaskedPhone, [property: Id(5)] string CellId,
    [property: Id(6)] string County, [property: Id(7)] string DeclaredCellId, [property: Id(8)] IReadOnlyList<string> Symptoms,
    [property: Id(9)] bool ContactWithCase, [property: Id(10)] int Stays, [property: Id(11)] EventMeta Meta) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.health-code-changed")]
public sealed record HealthCodeChanged(
    [property: Id(0)] string PersonRef, [property: Id(1)] string Colour, [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset ValidUntil, [property: Id(4)] int RequiredDays, [property: Id(5)] string RuleVersion,
    [property: Id(6)] string CellId, [property: Id(7)] EventMeta Meta,
    // The colour before this change (null: the person's first code, or an event recorded before this field existed).
    [property: Id(8)] string? FromColour = null) : IEpiEvent;

/// <summary>
/// A grid worker's visit at the door (issue 19): what they found, recorded as a fact of the person visited (stream
/// "person:&lt;ref&gt;") or, when no person is named, of the cell (stream "cell:&lt;id&gt;"). <see cref="VisitId"/> is the
/// client's own id, the visit's idempotency key within its stream. Meta.OccurredAt is when the visit took place.
/// <see cref="NotHomeInARow"/> is decided when recorded (<see cref="VisitRules"/>, the version in Meta.Reason), so the alert
/// it leads to derives from this event alone, live and in the ledger's sweep alike.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.visit-recorded")]
public sealed record VisitRecorded(
    [property: Id(0)] string VisitId, [property: Id(1)] string CellId, [property: Id(2)] string County,
    [property: Id(3)] string? PersonRef, [property: Id(4)] string? AlertId, [property: Id(5)] string Outcome,
    [property: Id(6)] bool? QuarantineKept, [property: Id(7)] decimal? Temperature, [property: Id(8)] IReadOnlyList<string> Symptoms,
    [property: Id(9)] string? Note, [property: Id(10)] int NotHomeInARow, [property: Id(11)] EventMeta Meta) : IEpiEvent;
