using EpiGrid.Platform;

namespace EpiGrid.Audit;

/// <summary>
/// An audit export ended: what left the platform (rows and bytes as written to the caller), of which county (null: the
/// whole province), masked or in clear, and whether it ran to its end. Stream key "audit:&lt;actor&gt;", after the
/// query's own record; meta.reason carries the reason given for a clear export.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.export-completed")]
public sealed record ExportCompleted(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string? County,
    [property: Id(2)] string PersonalData,
    [property: Id(3)] long Rows,
    [property: Id(4)] long Bytes,
    [property: Id(5)] bool Complete,
    [property: Id(6)] EventMeta Meta) : IEpiEvent;
