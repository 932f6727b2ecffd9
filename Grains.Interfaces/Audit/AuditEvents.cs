using EpiGrid.Platform;

namespace EpiGrid.Audit;

/// <summary>
/// Someone looked at the history: who, through which endpoint, at what (the query as asked) and how much came back.
/// Stream key: "audit:&lt;actor&gt;". Auditors change nothing, but what they read is itself on record.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.audit-queried")]
public sealed record AuditQueried(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string Role,
    [property: Id(2)] IReadOnlyDictionary<string, string> Query,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// Someone saw personal data in clear (an audit read with personalData=clear): who, when, through which endpoint and
/// query, and why (meta.reason, required). Stream key: "audit:&lt;actor&gt;", next to their other queries.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.personal-data-viewed")]
public sealed record PersonalDataViewed(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string Role,
    [property: Id(2)] IReadOnlyDictionary<string, string> Query,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// Someone looked up a health code (GET /api/v1/codes/{personRef}): who (meta.actor, <see cref="Role"/>), when
/// (meta.recordedAt), which person, and whether the answer held the reasons. Stream key: "audit:&lt;actor&gt;".
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.health-code-viewed")]
public sealed record HealthCodeViewed(
    [property: Id(0)] string PersonRef,
    [property: Id(1)] string Role,
    [property: Id(2)] bool Found,
    [property: Id(3)] bool ReasonsShown,
    [property: Id(4)] EventMeta Meta) : IEpiEvent;

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
