using EpiGrid.Platform;

namespace EpiGrid.Alerts;

// The life of an alert. Stream key: "alert:<id>".

[GenerateSerializer, Immutable, Alias("epigrid.alert-raised")]
public sealed record AlertRaised([property: Id(0)] AlertDraft Alert, [property: Id(1)] long Seq, [property: Id(2)] EventMeta Meta) : IEpiEvent;

/// <summary>
/// Alerts handed to a web host, which pushed them to their groups; stream "delivery:&lt;id&gt;". No longer written (a
/// stream per push cost a commit no reader needed; the metric <c>epigrid.alerts.pushed</c> counts them): kept so
/// histories recorded before December 2026 still read.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.alert-delivered")]
public sealed record AlertDelivered([property: Id(0)] IReadOnlyList<string> AlertIds, [property: Id(1)] string Host, [property: Id(2)] EventMeta Meta) : IEpiEvent;

[GenerateSerializer, Immutable, Alias("epigrid.alert-acknowledged")]
public sealed record AlertAcknowledged([property: Id(0)] string AlertId, [property: Id(1)] string? Note, [property: Id(2)] EventMeta Meta) : IEpiEvent;

/// <summary>Not acknowledged by its due time: a new alert (<paramref name="EscalationId"/>) went to the county's officials.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.alert-escalated")]
public sealed record AlertEscalated([property: Id(0)] string AlertId, [property: Id(1)] string EscalationId, [property: Id(2)] EventMeta Meta) : IEpiEvent;
