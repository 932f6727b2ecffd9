using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Events for one stream, appended atomically with the register documents they update.
/// <paramref name="ExpectedVersion"/> is the stream's version before the append (0: the stream is new);
/// a concurrent writer makes the append fail rather than interleave. The writer names its <paramref name="Lane"/>.
/// </summary>
public sealed record StreamWrite(
    string StreamKey,
    long ExpectedVersion,
    IReadOnlyList<IEpiEvent> Events,
    IReadOnlyList<object> Inserts,
    IReadOnlyList<object> Upserts,
    WriteLane Lane = WriteLane.Interactive);

/// <summary>Which of the group commit's writers take a write.</summary>
public enum WriteLane
{
    /// <summary>
    /// Reports, persons, visits, check-ins: what a person sent and waits for. Taken to the bulk lane instead when the
    /// call is bulk work (<see cref="Contracts.BulkWork"/>: an import, a batch upload).
    /// </summary>
    Interactive,

    /// <summary>Imports and batch uploads: large transactions, as full as the queue allows, at most <see cref="EventLogOptions.BulkWriters"/> in flight.</summary>
    Bulk,

    /// <summary>
    /// A few events that are the second commit of something a person waits to see pushed (an alert, a county's colour
    /// change): writers of their own, so they do not queue behind bulk's 1,000-event transactions.
    /// </summary>
    Urgent,
}

/// <summary>The only way events reach the store. Returns once the write is committed.</summary>
public interface IEventLog
{
    Task AppendAsync(StreamWrite write, CancellationToken cancellationToken = default);
}

/// <summary>The stream moved on since its writer read it (another activation wrote to it).</summary>
public sealed class StreamConflictException(string streamKey, Exception inner)
    : Exception($"Stream {streamKey} was changed concurrently", inner);

/// <summary>A document the write inserts already exists (e.g. a case id used in another cell).</summary>
public sealed class DuplicateRecordException(string message, Exception inner) : Exception(message, inner);

/// <summary>The store could not be reached or failed: nothing of the write was committed.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Options of the group commit (section "EventLog").</summary>
public sealed record EventLogOptions
{
    public const string Section = "EventLog";
    /// <summary>Most events committed in one transaction.</summary>
    public int MaxEventsPerCommit { get; init; } = 1000;
    /// <summary>Transactions of the interactive lane in flight at once; more overlaps round trips, too many contend on 2 cores.</summary>
    public int Writers { get; init; } = 2;
    /// <summary>
    /// Transactions of the bulk lane in flight at once (imports, batch uploads): bounds bulk work's share of the store, so a
    /// single report waits for at most one bulk transaction's worth of the database, never behind a queue of them.
    /// </summary>
    public int BulkWriters { get; init; } = 1;
    /// <summary>
    /// Writers of alerts' and counties' streams alone (a push waits on their commit), besides <see cref="Writers"/>;
    /// 0: they share the others' queue.
    /// </summary>
    public int UrgentWriters { get; init; } = 1;
    /// <summary>Writes waiting beyond this make new writers wait (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 20_000;
}

/// <summary>
/// The store refused this write's own data (an invalid value such as "\u0000" in jsonb, a broken integrity rule):
/// nothing of it was committed, and sending it again cannot help. Callers answer it as a refusal, never as "unavailable".
/// </summary>
public sealed class WriteRefusedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The connection was lost while the write's COMMIT was in flight: it may or may not have been committed. Not
/// "nothing was recorded": the writer reads its stream back (<see cref="CommitReconciler"/>) before it answers.
/// </summary>
public sealed class CommitOutcomeUnknownException(string streamKey, long versionIfCommitted, Guid lastEventId, Exception inner)
    : Exception($"The commit of a write to {streamKey} may or may not have happened (connection lost during COMMIT)", inner)
{
    public string StreamKey { get; } = streamKey;
    /// <summary>The stream's version had the write been committed.</summary>
    public long VersionIfCommitted { get; } = versionIfCommitted;
    /// <summary>Id of the write's last event: how it is recognised in the stream.</summary>
    public Guid LastEventId { get; } = lastEventId;
}
