using System.Threading.Channels;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Group commit: writes from many grains queue here and are committed together, up to
/// <see cref="EventLogOptions.MaxEventsPerCommit"/> events a transaction, by a few writer loops. Each caller's
/// task completes only after the transaction holding its write has committed. If a shared transaction fails
/// for a reason that belongs to one write (a conflict, a duplicate, data the store refuses: <see cref="CommitFailures"/>),
/// the writes are retried one by one so the others still commit and only the culprit fails. A write whose COMMIT lost
/// its connection is looked up in the store before its caller is answered (<see cref="CommitReconciler"/>).
/// The events go in set-based (<see cref="EventRows"/>).
/// </summary>
public sealed class GroupCommitLog(IDocumentStore store, IOptions<EventLogOptions> options, ILogger<GroupCommitLog> log)
    : BackgroundService, IEventLog
{
    sealed record Pending(StreamWrite Write, TaskCompletionSource Done);

    readonly ISerializer serializer = store.Options.Serializer();

    /// <summary>Interactive writes: what a person sent and waits for.</summary>
    readonly Channel<Pending> queue = Lane(options.Value);

    /// <summary>Bulk writes (imports, batch uploads): writers of their own, at most <see cref="EventLogOptions.BulkWriters"/>.</summary>
    readonly Channel<Pending> bulk = Lane(options.Value);

    /// <summary>Writes that name <see cref="WriteLane.Urgent"/>: writers of their own.</summary>
    readonly Channel<Pending> urgent = Lane(options.Value);

    /// <summary>A lane's queue: writes waiting beyond its capacity make their writers wait (back-pressure).</summary>
    static Channel<Pending> Lane(EventLogOptions options) => Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.QueueCapacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    public async Task AppendAsync(StreamWrite write, CancellationToken cancellationToken = default)
    {
        if (write.Events.Count == 0) return;
        var pending = new Pending(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var lane = LaneOf(write);
        await lane.Writer.WriteAsync(pending, cancellationToken);
        try
        {
            await pending.Done.Task;
        }
        catch (CommitOutcomeUnknownException unknown)
        {
            // The caller must not hear "nothing committed" when it may have been: read the stream back first.
            switch (await CommitReconciler.Landed(store, unknown, log))
            {
                case true: return;
                case false: throw new StoreUnavailableException("The connection was lost during COMMIT; the write is not in the store", unknown);
                default: throw;
            }
        }
    }

    /// <summary>
    /// The writer's lane, said by the write (urgent, bulk) or by the call it serves (<see cref="BulkWork"/>); a lane with no
    /// writers of its own configured shares the interactive one.
    /// </summary>
    Channel<Pending> LaneOf(StreamWrite write) => write.Lane switch
    {
        WriteLane.Urgent when options.Value.UrgentWriters > 0 => urgent,
        WriteLane.Urgent => queue,
        _ when (write.Lane == WriteLane.Bulk || BulkWork.IsCurrent) && options.Value.BulkWriters > 0 => bulk,
        _ => queue,
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IEnumerable<Task> Loops(int writers, Channel<Pending> lane) => Enumerable.Range(0, writers).Select(_ => WriterLoop(lane, stoppingToken));
        return Task.WhenAll(Loops(Math.Max(1, options.Value.Writers), queue)
            .Concat(Loops(Math.Max(0, options.Value.BulkWriters), bulk))
            .Concat(Loops(Math.Max(0, options.Value.UrgentWriters), urgent)));
    }

    async Task WriterLoop(Channel<Pending> lane, CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        try
        {
            while (await lane.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var events = 0;
                while (events < options.Value.MaxEventsPerCommit && lane.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                    events += next.Write.Events.Count;
                }
                if (batch.Count > 0) await CommitBatch(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (lane.Reader.TryRead(out var left))
                left.Done.TrySetException(new StoreUnavailableException("The event log is shutting down", new OperationCanceledException()));
        }
    }

    async Task CommitBatch(List<Pending> batch)
    {
        try
        {
            await CommitRetryingRollbacks(batch.Select(p => p.Write).ToList());
            foreach (var p in batch) p.Done.TrySetResult();
        }
        catch (Exception e) when (batch.Count > 1 && CommitFailures.BelongsToOneWrite(e))
        {
            log.LogDebug(e, "Group commit of {Count} writes failed on one write's data; retrying them one by one", batch.Count);
            foreach (var p in batch) await CommitAlone(p);
        }
        catch (Exception e)
        {
            Fail(batch, e);
        }
    }

    async Task CommitAlone(Pending p)
    {
        try
        {
            await CommitRetryingRollbacks([p.Write]);
            p.Done.TrySetResult();
        }
        catch (Exception e)
        {
            Fail([p], e);
        }
    }

    void Fail(List<Pending> writes, Exception e)
    {
        var failures = writes.Select(p => (p, Failure: CommitFailures.Translate(e, p.Write))).ToList();
        switch (failures[0].Failure)
        {
            case StoreUnavailableException: log.LogWarning(e, "Event store unavailable; {Count} writes failed", writes.Count); break;
            case CommitOutcomeUnknownException: log.LogWarning(e, "Connection lost during COMMIT; {Count} writes may or may not be committed", writes.Count); break;
            case WriteRefusedException r: log.LogWarning("Write to {Stream} refused: {Reason}", writes[0].Write.StreamKey, r.Message); break;
        }
        foreach (var (p, failure) in failures) p.Done.TrySetException(failure);
    }

    /// <summary>
    /// A deadlock or a serialisation failure (SQLSTATE class 40) rolls the whole transaction back, so nothing of it was
    /// committed and it is simply tried again, a few times, before anyone hears of it. (A writer chaining a stream's
    /// older events can deadlock with the chain's back-fill chaining the same ones.)
    /// </summary>
    async Task CommitRetryingRollbacks(IReadOnlyList<StreamWrite> writes)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Commit(writes);
                return;
            }
            catch (Exception e) when (attempt < 4 && RolledBackWhole(e))
            {
                log.LogDebug(e, "Commit of {Count} writes rolled back by PostgreSQL (attempt {Attempt}); trying again", writes.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }

    static bool RolledBackWhole(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: var state } && state.StartsWith("40", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// One transaction, ours rather than the session's, so that a failure of the COMMIT itself is told apart: before it,
    /// nothing is committed (PostgreSQL rolls back a transaction whose connection drops); a connection lost while COMMIT
    /// is in flight leaves the outcome unknown (<see cref="CommitInDoubtException"/>); a COMMIT the server answers with
    /// an error (a deferred check) did not commit.
    /// </summary>
    async Task Commit(IReadOnlyList<StreamWrite> writes)
    {
        var rows = new EventRows(writes, serializer);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction, false)))
        {
            rows.QueueInto(session);
            foreach (var w in writes)
            {
                if (w.Inserts.Count > 0) session.InsertObjects(w.Inserts);
                if (w.Upserts.Count > 0) session.StoreObjects(w.Upserts);
            }
            await session.SaveChangesAsync();
        }
        try
        {
            await transaction.CommitAsync();
        }
        catch (Exception e) when (e is not PostgresException)
        {
            throw new CommitInDoubtException(rows.LastEventIds, e);
        }
        Telemetry.EpiGridMetrics.AppendDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Telemetry.EpiGridMetrics.EventsPerCommit.Record(writes.Sum(w => (long)w.Events.Count));
    }
}
