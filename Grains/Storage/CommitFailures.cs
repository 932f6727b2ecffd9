using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using Npgsql;

namespace EpiGrid.Grains.Storage;

/// <summary>What a failed commit means for each of its writes: whose fault, and whether anything was committed.</summary>
static class CommitFailures
{
    /// <summary>
    /// Whether the failure can be the fault of one write alone, so that the writes of a shared transaction are retried
    /// singly and the innocent ones commit: a stream conflict, a duplicate, a value or integrity rule the store refuses.
    /// A failure of the store itself (unreachable, shutting down, out of resources) is everyone's and is not retried.
    /// </summary>
    public static bool BelongsToOneWrite(Exception e) =>
        Translate(e, null) is StreamConflictException or DuplicateRecordException or WriteRefusedException;

    public static Exception Translate(Exception e, StreamWrite? write)
    {
        var streamKey = write?.StreamKey ?? "";
        return e switch
        {
            CommitInDoubtException doubt when write is not null => new CommitOutcomeUnknownException(
                streamKey, write.ExpectedVersion + write.Events.Count, doubt.LastEventIds.GetValueOrDefault(write), doubt.InnerException!),
            CommitInDoubtException doubt => doubt,
            _ when EventRows.IsStreamConflict(e) => new StreamConflictException(streamKey, e),
            // Marten's exception transforms still turn some key violations of its tables into its own exceptions.
            JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
                or EventStreamUnexpectedMaxEventIdException or ConcurrencyException
                => new StreamConflictException(streamKey, e),
            DocumentAlreadyExistsException d => new DuplicateRecordException($"{d.DocType.Name} {d.Id} already exists", e),
            MartenCommandException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } }
                => new DuplicateRecordException("A record with the same key already exists", e),
            _ when RefusedData(e) is { } p => new WriteRefusedException($"The store refused the write's data (SQLSTATE {p.SqlState}: {p.MessageText})", e),
            // Serialising a write's events or documents failed before anything reached the store.
            JsonException or NotSupportedException => new WriteRefusedException("The write could not be serialised", e),
            _ => new StoreUnavailableException("The event store could not commit the write", e),
        };
    }

    /// <summary>
    /// SQLSTATE class 22 (data exception: "\u0000" or a lone surrogate in jsonb is 22P05, bad UTF-8 22021, a value out of
    /// range 22003...) and class 23 (integrity constraint violation): the statement's data is at fault, not the store.
    /// </summary>
    static PostgresException? RefusedData(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is PostgresException p && (p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState.StartsWith("23", StringComparison.Ordinal)))
                return p;
        return null;
    }
}

/// <summary>
/// The connection failed while COMMIT was in flight: the transaction may or may not have committed. Carries, for each
/// write, the id of its last event, by which the write can be found in the store.
/// </summary>
sealed class CommitInDoubtException(IReadOnlyDictionary<StreamWrite, Guid> lastEventIds, Exception inner)
    : Exception("The connection was lost during COMMIT", inner)
{
    public IReadOnlyDictionary<StreamWrite, Guid> LastEventIds { get; } = lastEventIds;
}
