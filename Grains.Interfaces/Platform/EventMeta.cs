namespace EpiGrid.Platform;

/// <summary>
/// Who made a change, which system sent it, when it happened in the world and when EpiGrid recorded it, and why.
/// Every event carries one; events are never edited after the fact.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.event-meta")]
public sealed record EventMeta(
    [property: Id(0)] string Actor,
    [property: Id(1)] string Source,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] DateTimeOffset RecordedAt,
    [property: Id(4)] string? Reason = null,
    [property: Id(5)] string? CorrelationId = null);

/// <summary>An event of EpiGrid's history.</summary>
public interface IEpiEvent
{
    EventMeta Meta { get; }
}
