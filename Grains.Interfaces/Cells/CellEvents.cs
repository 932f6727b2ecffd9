using EpiGrid.Platform;

namespace EpiGrid.Cells;

// The life of a grid cell, in the order things happen to it. Stream key: "cell:<cellId>".

[GenerateSerializer, Immutable, Alias("epigrid.cell-registered")]
public sealed record CellRegistered(
    [property: Id(0)] string CellId, [property: Id(1)] string County, [property: Id(2)] string Name,
    [property: Id(3)] int Households, [property: Id(4)] EventMeta Meta) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.cell-details-changed")]
public sealed record CellDetailsChanged(
    [property: Id(0)] string CellId, [property: Id(1)] string Name, [property: Id(2)] int Households,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.case-reported")]
public sealed record CaseReported(
    [property: Id(0)] string CaseId, [property: Id(1)] string CellId, [property: Id(2)] string County,
    [property: Id(3)] CaseKind Kind, [property: Id(4)] bool Local, [property: Id(5)] string? ClusterId,
    [property: Id(6)] EventMeta Meta,
    // The person the case is (issue 16): their keyed reference, never the identity number. Null: reported without one.
    [property: Id(7)] string? PersonRef = null,
    // The case that infected this one, when the investigation knows it (issue 16).
    [property: Id(8)] string? InfectedBy = null,
    // When the symptoms began, when known (issue 17: epidemic curves by onset).
    [property: Id(9)] DateTimeOffset? OnsetAt = null) : IEpiEvent;

/// <summary>A case reported without a person is later said to be this person's (the same report, repeated with the identity).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-person-linked")]
public sealed record CasePersonLinked(
    [property: Id(0)] string CaseId, [property: Id(1)] string CellId, [property: Id(2)] string PersonRef,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.case-status-changed")]
public sealed record CaseStatusChanged(
    [property: Id(0)] string CaseId, [property: Id(1)] string CellId, [property: Id(2)] CaseStatus From,
    [property: Id(3)] CaseStatus To, [property: Id(4)] EventMeta Meta) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.traveller-arrived")]
public sealed record TravellerArrived(
    [property: Id(0)] string TravellerId, [property: Id(1)] string CellId, [property: Id(2)] string County,
    [property: Id(3)] string OriginArea, [property: Id(4)] string OriginRisk, [property: Id(5)] string Mode,
    [property: Id(6)] string Quarantine, [property: Id(7)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// A county official put the cell under control, changed it, or lifted it (<see cref="Level"/> open), with why and,
/// optionally, until when (issue 17). <see cref="Revision"/> counts the cell's control decisions, this one included.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-control-changed")]
public sealed record CellControlChanged(
    [property: Id(0)] string CellId, [property: Id(1)] string County, [property: Id(2)] ControlLevel Level,
    [property: Id(3)] ControlLevel FromLevel, [property: Id(4)] DateTimeOffset? Until, [property: Id(5)] int Revision,
    [property: Id(6)] EventMeta Meta) : IEpiEvent;
