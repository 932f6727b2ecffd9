using EpiGrid.Cells;

namespace EpiGrid.Simulator.Outbreak;

// What the outbreak produces, in the order it happens. Times are offsets from the outbreak's start, so the
// same seed gives the same sequence whatever day it is run; the runner maps them onto real moments.

/// <summary>One report a feeding system would send. <see cref="At"/>: when it happened, from the outbreak's start.</summary>
public abstract record SimReport(TimeSpan At, string CellId);

/// <summary>A traveller arriving from elsewhere (id unique within the outbreak).</summary>
public sealed record TravellerArrival(TimeSpan At, string CellId, string TravellerId, string OriginArea, string OriginRisk,
    string Mode, string Quarantine) : SimReport(At, CellId);

/// <summary>A case reported in a cell: imported (an arrival fell ill) or local, possibly part of a cluster.</summary>
public sealed record CaseReport(TimeSpan At, string CellId, string CaseId, CaseKind Kind, bool Local, string? ClusterId)
    : SimReport(At, CellId);

/// <summary>A later change of a case's status (hospitalised, recovered, ruled out).</summary>
public sealed record CaseStatusReport(TimeSpan At, string CellId, string CaseId, CaseStatus Status) : SimReport(At, CellId);

/// <summary>A quarantined traveller's daily check-in, or a missed one. The platform has no check-in API yet.</summary>
public sealed record CheckIn(TimeSpan At, string CellId, string TravellerId, bool Missed) : SimReport(At, CellId);
