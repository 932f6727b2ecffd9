using EpiGrid.Platform;

namespace EpiGrid.Audit;

/// <summary>
/// One actor's record of what they looked at (key: the actor; stream "audit:&lt;actor&gt;"): audit queries, personal data
/// seen in clear, exports, health code lookups. Appended through the event log like every other event; one activation
/// per actor takes their records in turn, so simultaneous queries never race for the stream's next version.
/// </summary>
public interface IQueryRecordGrain : IGrainWithStringKey
{
    /// <summary>
    /// Answers once the record is committed: <see cref="Outcome.Created"/>; or <see cref="Outcome.Unavailable"/> /
    /// <see cref="Outcome.Unknown"/> when the store could not take it now (the query must then not be answered).
    /// </summary>
    [Alias("178256D5")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<CommandResult> Record(IEpiEvent record);
}
