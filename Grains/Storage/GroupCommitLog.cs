using System.Threading.Channels;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Group commit: writes from many grains queue here and are committed together, up to
/// <see cref="EventLogOptions.MaxEventsPerCommit"/> events a transaction, by a few writer loops. Each caller's
/// task completes only after the transaction holding its write has committed. If a shared transaction fails
/// for a reason that belongs to one write (a conflict, a duplicate), the writes are retried one by one so
/// the others still commit and only the culprit fails. The events go in set-based (<see cref="EventRows"/>).
/// </summary>
public sealed class GroupCommitLog(IDocumentStore store, IOptions<EventLogOptions> options, ILogger<GroupCommitLog> log)
    : BackgroundService, IEventLog
{
    sealed record Pending(StreamWrite Write, TaskCompletionSource Done);

    readonly ISerializer serializer = store.Options.Serializer();

    readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>
    /// Alerts and county colour changes: a few events a write, each the second commit of something a person waits to
    /// see pushed. They have writers of their own, so they do not queue behind ingest's 1,000-event transactions.
    /// </summary>
    readonly Channel<Pending> urgent = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    static bool IsUrgent(StreamWrite write) =>
        write.StreamKey.StartsWith(StreamKeys.Alert(""), StringComparison.Ordinal) || write.StreamKey.StartsWith(StreamKeys.County(""), StringComparison.Ordinal);

    public async Task AppendAsync(StreamWrite write, CancellationToken cancellationToken = default)
    {
        if (write.Events.Count == 0) return;
        var pending = new Pending(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var lane = options.Value.UrgentWriters > 0 && IsUrgent(write) ? urgent : queue;
        await lane.Writer.WriteAsync(pending, cancellationToken);
        await pending.Done.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Writers)).Select(_ => WriterLoop(queue, stoppingToken))
            .Concat(Enumerable.Range(0, Math.Max(0, options.Value.UrgentWriters)).Select(_ => WriterLoop(urgent, stoppingToken))));

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
            await Commit(batch.Select(p => p.Write).ToList());
            foreach (var p in batch) p.Done.TrySetResult();
        }
        catch (Exception e) when (batch.Count > 1 && BelongsToOneWrite(e))
        {
            log.LogDebug(e, "Group commit of {Count} writes failed; retrying them one by one", batch.Count);
            foreach (var p in batch) await CommitAlone(p);
        }
        catch (Exception e)
        {
            var failure = Translate(e, batch[0].Write.StreamKey);
            if (failure is StoreUnavailableException) log.LogWarning(e, "Event store unavailable; {Count} writes failed", batch.Count);
            foreach (var p in batch) p.Done.TrySetException(failure);
        }
    }

    async Task CommitAlone(Pending p)
    {
        try
        {
            await Commit([p.Write]);
            p.Done.TrySetResult();
        }
        catch (Exception e)
        {
            p.Done.TrySetException(Translate(e, p.Write.StreamKey));
        }
    }

    async Task Commit(IReadOnlyList<StreamWrite> writes)
    {
        await using var session = store.LightweightSession();
        new EventRows(writes, serializer).QueueInto(session);
        foreach (var w in writes)
        {
            if (w.Inserts.Count > 0) session.InsertObjects(w.Inserts);
            if (w.Upserts.Count > 0) session.StoreObjects(w.Upserts);
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await session.SaveChangesAsync();
        Telemetry.EpiGridMetrics.AppendDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Telemetry.EpiGridMetrics.EventsPerCommit.Record(writes.Sum(w => (long)w.Events.Count));
    }

    static bool BelongsToOneWrite(Exception e) => Translate(e, "") is StreamConflictException or DuplicateRecordException;

    static Exception Translate(Exception e, string streamKey) => e switch
    {
        _ when EventRows.IsStreamConflict(e) => new StreamConflictException(streamKey, e),
        // Marten's exception transforms still turn some key violations of its tables into its own exceptions.
        JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
            or EventStreamUnexpectedMaxEventIdException or ConcurrencyException
            => new StreamConflictException(streamKey, e),
        DocumentAlreadyExistsException d => new DuplicateRecordException($"{d.DocType.Name} {d.Id} already exists", e),
        MartenCommandException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } }
            => new DuplicateRecordException("A record with the same key already exists", e),
        _ => new StoreUnavailableException("The event store could not commit the write", e),
    };
}
