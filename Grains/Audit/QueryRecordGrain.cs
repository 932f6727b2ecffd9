using EpiGrid.Audit;
using EpiGrid.Grains.Storage;
using Marten;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Appends an actor's query records to their stream through the group commit. Knows the stream's version after the
/// first read; a conflict (another activation of the same actor wrote meanwhile, e.g. during a membership change) reads
/// it again and retries.
/// </summary>
public sealed class QueryRecordGrain(IEventLog eventLog, IDocumentStore store, ILogger<QueryRecordGrain> log) : Grain, IQueryRecordGrain
{
    const int Attempts = 5;
    long? version;

    string Stream => StreamKeys.Audit(this.GetPrimaryKeyString());

    public async Task<CommandResult> Record(IEpiEvent record)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                version ??= await StoredVersion();
                await eventLog.AppendAsync(new StreamWrite(Stream, version.Value, [record], [], []));
                version++;
                return new CommandResult(Outcome.Created, Stream, Version: version.Value);
            }
            catch (StreamConflictException) when (attempt < Attempts)
            {
                version = null;
            }
            catch (Exception e) when (e is StoreUnavailableException or CommitOutcomeUnknownException or StreamConflictException
                                          or Npgsql.NpgsqlException or TimeoutException)
            {
                version = null;
                log.LogWarning(e, "A query record of {Stream} was not committed", Stream);
                return CommandResult.Rejected(e is CommitOutcomeUnknownException ? Outcome.Unknown : Outcome.Unavailable, "",
                    "The query could not be recorded now.");
            }
        }
    }

    async Task<long> StoredVersion()
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(Stream))?.Version ?? 0;
    }
}
