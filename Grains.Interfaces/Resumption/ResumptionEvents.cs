using EpiGrid.Platform;

namespace EpiGrid.Resumption;

// Enterprises of a county and their electricity use. Stream key: "resumption:<county>".

[GenerateSerializer, Immutable, Alias("epigrid.enterprise-registered")]
public sealed record EnterpriseRegistered([property: Id(0)] Enterprise Enterprise, [property: Id(1)] EventMeta Meta) : IEpiEvent;

/// <summary>Name, industry, cell or baseline changed; the baseline applies to every day's figures from then on.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.enterprise-details-changed")]
public sealed record EnterpriseDetailsChanged([property: Id(0)] Enterprise Enterprise, [property: Id(1)] EventMeta Meta) : IEpiEvent;

/// <summary>Daily readings the utility sent for enterprises of one county: one event per county per upload chunk.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.readings-recorded")]
public sealed record ReadingsRecorded(
    [property: Id(0)] string County, [property: Id(1)] IReadOnlyList<ElectricityReading> Readings, [property: Id(2)] EventMeta Meta) : IEpiEvent;

/// <summary>Enterprises of one county reported their staff back at work; a later report for the same day replaces the earlier.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.staff-reported")]
public sealed record StaffReported(
    [property: Id(0)] string County, [property: Id(1)] IReadOnlyList<StaffReport> Reports, [property: Id(2)] EventMeta Meta) : IEpiEvent;
