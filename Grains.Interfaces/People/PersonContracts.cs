using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.People;

/// <summary>An arrival as a source reports it, with the identity already turned into a reference.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.report-arrival")]
public sealed record ReportArrival(
    [property: Id(0)] Provenance By, [property: Id(1)] string MaskedId, [property: Id(2)] string? Name,
    [property: Id(3)] string? MaskedPhone, [property: Id(4)] string? PhoneHash, [property: Id(5)] string OriginArea,
    [property: Id(6)] string OriginRisk, [property: Id(7)] DateTimeOffset ArrivedAt, [property: Id(8)] string Mode,
    [property: Id(9)] string CellId, [property: Id(10)] ReportSource From,
    [property: Id(11)] string? Quarantine = null, [property: Id(12)] string? CloseContactOf = null,
    [property: Id(13)] IReadOnlyList<string>? Symptoms = null,
    // Whose residents this report may move or re-code (null: people new to the platform only).
    [property: Id(14)] ReportAuthority? Authority = null);

[GenerateSerializer, Immutable, Alias("epigrid.record-check-in")]
public sealed record RecordCheckIn(
    [property: Id(0)] Provenance By, [property: Id(1)] DateTimeOffset OccurredAt, [property: Id(2)] decimal TemperatureCelsius,
    [property: Id(3)] IReadOnlyList<string> Symptoms);

/// <summary>
/// What a cell tells a person about one of their cases, after the cell committed it: the case as it stands now. The
/// masked identity comes with the first report that named the person by identity number.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.person-case-link")]
public sealed record PersonCaseLink(
    [property: Id(0)] Provenance By, [property: Id(1)] string CaseId, [property: Id(2)] string CaseCellId,
    [property: Id(3)] CaseKind Kind, [property: Id(4)] CaseStatus Status, [property: Id(5)] DateTimeOffset ReportedAt,
    [property: Id(6)] DateTimeOffset StatusAt, [property: Id(7)] string? MaskedId);

/// <summary>A close contact of a case as a source reports it, the identity already turned into a reference (issue 16).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.report-contact")]
public sealed record ReportContact(
    [property: Id(0)] Provenance By, [property: Id(1)] string CaseId, [property: Id(2)] string CaseCounty,
    [property: Id(3)] string MaskedId, [property: Id(4)] string? Name, [property: Id(5)] string? MaskedPhone,
    [property: Id(6)] string? PhoneHash, [property: Id(7)] string CellId, [property: Id(8)] DateTimeOffset LastContactAt,
    [property: Id(9)] string Setting, [property: Id(10)] ReportSource From,
    // A contact of this close contact (a person reference; 次密接) rather than of the case itself.
    [property: Id(11)] string? ContactOf = null);

/// <summary>An itinerary: the places a person stayed, from one source record (issue 16).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.report-stays")]
public sealed record ReportStays([property: Id(0)] Provenance By, [property: Id(1)] ReportSource From, [property: Id(2)] IReadOnlyList<Stay> Stays);

/// <summary>
/// A citizen's own declaration (issue 16), the identity already turned into a reference: where they stay, their symptoms, a
/// contact with a case, their itinerary. <see cref="DeclarationId"/> names it (the itinerary's source record).
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.declaration")]
public sealed record Declaration(
    [property: Id(0)] Provenance By, [property: Id(1)] string DeclarationId, [property: Id(2)] string MaskedId,
    [property: Id(3)] string? Name, [property: Id(4)] string MaskedPhone, [property: Id(5)] string PhoneHash,
    [property: Id(6)] string CellId, [property: Id(7)] IReadOnlyList<string> Symptoms, [property: Id(8)] bool ContactWithCase,
    [property: Id(9)] IReadOnlyList<Stay> Stays);

[GenerateSerializer, Immutable, Alias("epigrid.code-view")]
public sealed record CodeView(
    [property: Id(0)] string PersonRef, [property: Id(1)] string Colour, [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset ValidUntil, [property: Id(4)] string MaskedId, [property: Id(5)] string RuleVersion,
    [property: Id(6)] int RequiredDays, [property: Id(7)] int NormalDaysInARow,
    // The person's cell: who may read it may read the reasons (the web host decides).
    [property: Id(8)] string? CellId = null);

[GenerateSerializer, Immutable, Alias("epigrid.arrival-result")]
public sealed record ArrivalResult(
    [property: Id(0)] CommandResult Result, [property: Id(1)] string? ArrivalId, [property: Id(2)] bool Corroborated,
    [property: Id(3)] CodeView? Code,
    // False when the report was recorded without moving or re-coding the person (outside the reporter's reach).
    [property: Id(4)] bool Applied = true);
