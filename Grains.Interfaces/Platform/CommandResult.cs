namespace EpiGrid.Platform;

public enum Outcome
{
    /// <summary>Something new was recorded.</summary>
    Created,
    /// <summary>An existing thing changed.</summary>
    Updated,
    /// <summary>A repeat of a request already recorded: nothing was added.</summary>
    Unchanged,
    NotFound,
    Conflict,
    Invalid,
    /// <summary>The event store could not be reached: nothing was recorded, the caller may retry.</summary>
    Unavailable,
    /// <summary>
    /// The connection to the store was lost while the change was committing and the store could not yet say whether it
    /// was: it may have been recorded. Retrying the same request is safe (a repeat is recognised).
    /// </summary>
    Unknown,
}

/// <summary>What became of one command. Successful outcomes are returned only after their events are committed.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.command-result")]
public sealed record CommandResult(
    [property: Id(0)] Outcome Outcome,
    [property: Id(1)] string? EntityId = null,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null,
    [property: Id(4)] long Version = 0)
{
    public bool Succeeded => Outcome is Outcome.Created or Outcome.Updated or Outcome.Unchanged;

    public static CommandResult Rejected(Outcome outcome, string field, string error) => new(outcome, Field: field, Error: error);
}
