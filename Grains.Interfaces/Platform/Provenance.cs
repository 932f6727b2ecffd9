namespace EpiGrid.Platform;

/// <summary>Who is asking and through which system: becomes the actor and source of the events a command causes.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.provenance")]
public sealed record Provenance(
    [property: Id(0)] string Actor,
    [property: Id(1)] string Source,
    [property: Id(2)] string? CorrelationId = null);
