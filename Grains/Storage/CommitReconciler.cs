using Marten;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// After <see cref="CommitOutcomeUnknownException"/>: the writing grain reads its stream back to learn whether its
/// write landed, so it carries on (state, follow-up work, a success answer) or answers that nothing was recorded. The
/// write is recognised by its last event's id, so another writer's events at the same version are never taken for it.
/// </summary>
public static class CommitReconciler
{
    /// <summary>Our choice: a store that just dropped a connection usually answers again within seconds.</summary>
    static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <summary>True: the write is in the store; false: it is not; null: the store could not be read, still unknown.</summary>
    public static async Task<bool?> Landed(IDocumentStore store, CommitOutcomeUnknownException unknown, ILogger log)
    {
        foreach (var pause in Pauses)
        {
            await Task.Delay(pause);
            try
            {
                await using var session = store.QuerySession();
                var events = await session.Events.FetchStreamAsync(unknown.StreamKey, version: unknown.VersionIfCommitted, fromVersion: unknown.VersionIfCommitted);
                var landed = events.Count == 1 && events[0].Id == unknown.LastEventId;
                log.LogInformation("Write to {Stream} whose COMMIT lost its connection: {Verdict}", unknown.StreamKey, landed ? "committed" : "not committed");
                return landed;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not read {Stream} back after an unknown commit outcome", unknown.StreamKey);
            }
        }
        return null;
    }
}
