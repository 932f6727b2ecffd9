using EpiGrid.Platform;

namespace EpiGrid.Cells;

/// <summary>A request to a grid cell. Commands are validated for shape at the edge and for meaning by the cell.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-command")]
public abstract record CellCommand([property: Id(0)] Provenance By);

[GenerateSerializer, Immutable, Alias("epigrid.register-cell")]
public sealed record RegisterCell(Provenance By, [property: Id(0)] string Name, [property: Id(1)] int Households) : CellCommand(By);

[GenerateSerializer, Immutable, Alias("epigrid.report-case")]
public sealed record ReportCase(
    Provenance By,
    [property: Id(0)] string CaseId,
    [property: Id(1)] CaseKind Kind,
    [property: Id(2)] bool Local,
    [property: Id(3)] string? ClusterId,
    [property: Id(4)] DateTimeOffset OccurredAt,
    // The person the case is, when the report names one (issue 16), and their masked identity number for their code.
    [property: Id(5)] string? PersonRef = null,
    [property: Id(6)] string? MaskedId = null,
    [property: Id(7)] string? InfectedBy = null,
    [property: Id(8)] DateTimeOffset? OnsetAt = null) : CellCommand(By);

[GenerateSerializer, Immutable, Alias("epigrid.change-case-status")]
public sealed record ChangeCaseStatus(
    Provenance By,
    [property: Id(0)] string CaseId,
    [property: Id(1)] CaseStatus Status,
    [property: Id(2)] DateTimeOffset OccurredAt) : CellCommand(By);

[GenerateSerializer, Immutable, Alias("epigrid.register-traveller")]
public sealed record RegisterTraveller(
    Provenance By,
    [property: Id(0)] string TravellerId,
    [property: Id(1)] string OriginArea,
    [property: Id(2)] string OriginRisk,
    [property: Id(3)] DateTimeOffset ArrivedAt,
    [property: Id(4)] string Mode,
    [property: Id(5)] string Quarantine) : CellCommand(By);

/// <summary>Put the cell under control, change it, or lift it (<see cref="Level"/> open); <see cref="Reason"/> is recorded as the event's reason.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.control-cell")]
public sealed record ControlCell(
    Provenance By,
    [property: Id(0)] ControlLevel Level,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset? Until) : CellCommand(By);

/// <summary>A grid worker's visit that names no person (issue 19): a fact of the cell, recorded once per visit id.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.record-cell-visit")]
public sealed record RecordCellVisit(Provenance By, [property: Id(0)] EpiGrid.People.VisitReport Visit) : CellCommand(By);

[GenerateSerializer, Immutable, Alias("epigrid.traveller-view")]
public sealed record TravellerView(
    [property: Id(0)] string TravellerId, [property: Id(1)] string OriginArea, [property: Id(2)] string OriginRisk,
    [property: Id(3)] DateTimeOffset ArrivedAt, [property: Id(4)] string Mode, [property: Id(5)] string Quarantine);

[GenerateSerializer, Immutable, Alias("epigrid.cell-view")]
public sealed record CellView(
    [property: Id(0)] string CellId,
    [property: Id(1)] string County,
    [property: Id(2)] string Name,
    [property: Id(3)] int Households,
    [property: Id(4)] long Version,
    [property: Id(5)] IReadOnlyList<CaseFact> Cases,
    [property: Id(6)] IReadOnlyList<TravellerView> Travellers,
    // The control in force (issue 17); null: open.
    [property: Id(7)] CellControl? Control = null);

/// <summary>What a cell tells its county after a commit: the facts of the cases it touched, before and after.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-changed")]
public sealed record CellChanged(
    [property: Id(0)] string CellId,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<CaseFact> Cases,
    [property: Id(3)] int Travellers,
    /// <summary>The cell's version before this change, so a county can notice a message it missed.</summary>
    [property: Id(4)] long PreviousVersion,
    /// <summary>The cell's control as last decided (null: never controlled); the county judges whether it is in force.</summary>
    [property: Id(5)] CellControl? Control = null,
    /// <summary>
    /// Each of <see cref="Cases"/> as it stood at <see cref="PreviousVersion"/> (null: new in this change), so a county
    /// that keeps old cases only as counts can take the old fact off them. Null from a sender that did not say.
    /// </summary>
    [property: Id(6)] IReadOnlyList<CaseFact?>? Before = null);

[GenerateSerializer, Immutable, Alias("epigrid.cell-summary")]
public sealed record CellSummary(
    [property: Id(0)] string CellId, [property: Id(1)] string County, [property: Id(2)] long Version,
    [property: Id(3)] int Confirmed, [property: Id(4)] int Active, [property: Id(5)] int Suspected,
    [property: Id(6)] int Asymptomatic, [property: Id(7)] int Travellers)
{
    public static CellSummary Of(CellState s) => new(s.CellId, s.County, s.Version,
        s.Cases.Values.Count(c => c.IsConfirmed),
        s.Cases.Values.Count(c => c.Status is CaseStatus.Active or CaseStatus.Hospitalised),
        s.Cases.Values.Count(c => c.Kind == CaseKind.Suspected && c.Status != CaseStatus.RuledOut),
        s.Cases.Values.Count(c => c.Kind == CaseKind.Asymptomatic && c.Status != CaseStatus.RuledOut),
        s.Travellers.Count);
}
