using EpiGrid.Alerts;
using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Alerts;

/// <summary>
/// The alert ledger. Requests (raise, acknowledge, escalate) queue up and are processed in rounds by one loop:
/// each round takes at most one request per alert, gives new alerts the next sequence numbers, commits the round
/// together (group commit), and only then pushes it. Rounds commit in order, so sequence numbers become visible
/// in order. Reentrant so requests keep queueing while a round commits.
/// </summary>
[Reentrant]
public sealed class AlertLedgerGrain(
    OneOfAKindGrains oneOfAKind,
    IEventLog eventLog,
    IDocumentStore store,
    AlertSweep sweep,
    IOptions<AlertOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<AlertLedgerGrain> log) : Grain, IAlertLedgerGrain, IRemindable
{
    public const string ReminderName = "alert-ledger";

    abstract record Request(string AlertId)
    {
        public TaskCompletionSource<CommandResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
    sealed record RaiseRequest(AlertDraft Draft) : Request(Draft.Id);
    sealed record AcknowledgeRequest(string Id, Provenance By, string? Note) : Request(Id)
    {
        /// <summary>The alert as it stands after this request (set before <see cref="Request.Done"/> completes).</summary>
        public AlertView? Alert { get; set; }
    }
    sealed record EscalateRequest(string Id) : Request(Id);

    readonly Queue<Request> queue = new();
    readonly Dictionary<string, DateTimeOffset> dueBy = new(StringComparer.Ordinal);
    Task flushing = Task.CompletedTask;
    long lastSeq, committedThrough;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        lastSeq = await AlertSequence.Highest(store, cancellationToken);
        committedThrough = lastSeq;
        var waiting = await session.Query<AlertRecord>()
            .Where(a => a.Status == AlertStatus.Open && a.DueBy != null && a.EscalatedAs == null).ToListAsync(cancellationToken);
        foreach (var a in waiting) dueBy[a.Id] = a.DueBy!.Value;
        var o = options.Value;
        this.RegisterGrainTimer(CheckDue, new GrainTimerCreationOptions(o.EscalationCheckInterval, o.EscalationCheckInterval) { KeepAlive = true });
        this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(o.SweepInterval, o.SweepInterval) { KeepAlive = true });
        try
        {
            var period = o.SweepInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : o.SweepInterval;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
        }
        catch (Exception e)
        {
            // The timers run while this activation lives; the next activation registers it again.
            log.LogWarning(e, "Could not register the alert ledger's reminder");
        }
    }

    public Task Raise(IReadOnlyList<AlertDraft> drafts)
    {
        foreach (var draft in drafts) Enqueue(new RaiseRequest(draft));
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<CommandResult>> RaiseConfirmed(IReadOnlyList<AlertDraft> drafts)
    {
        // One read spares a refused insert (and the group commit's retry alone) for each alert raised before.
        await using var session = store.QuerySession();
        var raised = (await session.LoadManyAsync<AlertRecord>(drafts.Select(d => d.Id).Distinct())).Select(r => r.Id).ToHashSet();
        return await Task.WhenAll(drafts.Select(d => raised.Contains(d.Id)
            ? Task.FromResult(new CommandResult(Outcome.Unchanged, d.Id))
            : Enqueue(new RaiseRequest(d)).Done.Task));
    }

    public Task<long> CommittedThrough() => Task.FromResult(committedThrough);

    public async Task<Acknowledgement> Acknowledge(string alertId, Provenance by, string? note)
    {
        var request = new AcknowledgeRequest(alertId, by, note);
        var result = await Enqueue(request).Done.Task;
        return new Acknowledgement(result, request.Alert);
    }

    Request Enqueue(Request request)
    {
        queue.Enqueue(request);
        if (flushing.IsCompleted) flushing = Flush();
        return request;
    }

    async Task Flush()
    {
        await Task.Yield();
        while (queue.Count > 0)
        {
            var round = new List<Request>();
            var later = new List<Request>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            while (queue.TryDequeue(out var request)) (ids.Add(request.AlertId) ? round : later).Add(request);
            foreach (var request in later) queue.Enqueue(request);
            try
            {
                await Process(round);
            }
            catch (Exception e)
            {
                log.LogError(e, "Alert ledger round of {Count} failed", round.Count);
                foreach (var r in round) r.Done.TrySetResult(CommandResult.Rejected(Outcome.Unavailable, "", "The alert ledger failed; retry."));
            }
        }
    }

    async Task Process(List<Request> round)
    {
        var now = clock.GetUtcNow();
        var updates = round.Where(r => r is not RaiseRequest).Select(r => r.AlertId).ToList();
        Dictionary<string, AlertRecord> records = [];
        if (updates.Count > 0)
        {
            await using var session = store.QuerySession();
            records = (await session.LoadManyAsync<AlertRecord>(updates)).ToDictionary(r => r.Id);
        }

        var steps = round.Select(r => Decide(r, records.GetValueOrDefault(r.AlertId), now)).ToList();
        await Task.WhenAll(steps.Where(s => s.Write is not null).Select(Commit));
        // Only now is every sequence of this round settled (committed, or given up to the sweep).
        committedThrough = lastSeq;

        var raised = steps.Where(s => s.Committed && s.Request is RaiseRequest).Select(s => s.Record!.ToView()).ToList();
        var changed = steps.Where(s => s.Committed && s.Request is not RaiseRequest).Select(s => s.Record!.ToView()).ToList();
        foreach (var s in steps.Where(s => s.Committed)) s.AfterCommit?.Invoke();
        if (raised.Count + changed.Count > 0)
            _ = oneOfAKind.PushHub.Publish(PushBatch.OfAlerts(raised, changed));
        foreach (var s in steps)
        {
            if (s.Request is AcknowledgeRequest a && (s.Committed || s.Write is null)) a.Alert = s.Record?.ToView();
            s.Request.Done.TrySetResult(s.Result);
        }
        if (steps.Any(s => s.RaiseAgain))
        {
            lastSeq = Math.Max(lastSeq, await AlertSequence.Highest(store));
            foreach (var s in steps.Where(s => s.RaiseAgain)) Enqueue(new RaiseRequest(((RaiseRequest)s.Request).Draft));
        }
    }

    sealed class Step(Request request)
    {
        public Request Request { get; } = request;
        public StreamWrite? Write { get; init; }
        public AlertRecord? Record { get; init; }
        public Action? AfterCommit { get; init; }
        public CommandResult Result { get; set; } = new(Outcome.Unchanged, request.AlertId);
        public bool Committed { get; set; }
        public bool RaiseAgain { get; set; }
    }

    Step Decide(Request request, AlertRecord? record, DateTimeOffset now)
    {
        EventMeta Meta(string actor, string source, string? reason = null) => new(actor, source, now, now, reason);
        switch (request)
        {
            case RaiseRequest r:
                var raised = AlertRecord.Raised(r.Draft, ++lastSeq);
                return new Step(r)
                {
                    Record = raised,
                    Write = new StreamWrite(StreamKeys.Alert(r.Draft.Id), 0,
                        [new AlertRaised(r.Draft, raised.Seq, Meta("epigrid", "alert-rules", $"rules {r.Draft.RuleVersion}"))], [raised], [], WriteLane.Urgent),
                    AfterCommit = () => { if (raised.AwaitsEscalation) dueBy[raised.Id] = raised.DueBy!.Value; },
                    Result = new CommandResult(Outcome.Created, r.Draft.Id, Version: raised.Seq),
                };
            case AcknowledgeRequest a when record is null:
                return new Step(a) { Result = CommandResult.Rejected(Outcome.NotFound, "alertId", $"No alert {a.Id}") };
            case AcknowledgeRequest a when record.Status == AlertStatus.Acknowledged:
                return new Step(a) { Record = record, Result = new CommandResult(Outcome.Unchanged, a.Id, Version: record.Seq) };
            case AcknowledgeRequest a:
                var acknowledged = record.Acknowledged(a.By.Actor, now, a.Note);
                return new Step(a)
                {
                    Record = acknowledged,
                    Write = new StreamWrite(StreamKeys.Alert(a.Id), record.Version,
                        [new AlertAcknowledged(a.Id, a.Note, Meta(a.By.Actor, a.By.Source, a.Note))], [], [acknowledged], WriteLane.Urgent),
                    AfterCommit = () => dueBy.Remove(a.Id),
                    Result = new CommandResult(Outcome.Updated, a.Id, Version: record.Seq),
                };
            case EscalateRequest e when record is not { AwaitsEscalation: true }:
                return new Step(e);
            case EscalateRequest e:
                var escalation = AlertRules.Escalation(record.Alert, now);
                var escalated = record.Escalated(escalation.Id);
                return new Step(e)
                {
                    Record = escalated,
                    Write = new StreamWrite(StreamKeys.Alert(e.Id), record.Version,
                        [new AlertEscalated(e.Id, escalation.Id, Meta("epigrid", "alert-rules", "Not acknowledged by its due time"))], [], [escalated], WriteLane.Urgent),
                    AfterCommit = () => Enqueue(new RaiseRequest(escalation)),
                    Result = new CommandResult(Outcome.Updated, e.Id),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(request));
        }
    }

    /// <remarks>
    /// Never throws: a step that fails is answered, and the round carries on to settle <see cref="committedThrough"/>, so
    /// one bad write cannot hold back catch-up. A sequence given to a write that failed stays unused (a gap, not a wait).
    /// </remarks>
    async Task Commit(Step step)
    {
        try
        {
            await eventLog.AppendAsync(step.Write!);
            step.Committed = true;
        }
        catch (DuplicateRecordException e) when (step.Request is RaiseRequest && AlertSequence.Taken(e))
        {
            // Another activation of the ledger (a silo failing over) gave this number to another alert: the store's
            // unique index refused ours. Raise it again after the store's highest number.
            log.LogWarning("Alert sequence {Seq} was taken by another ledger; {Alert} is raised again", step.Record!.Seq, step.Request.AlertId);
            step.RaiseAgain = true;
            step.Result = new CommandResult(Outcome.Unavailable, step.Request.AlertId);
        }
        catch (Exception e) when (e is StreamConflictException or DuplicateRecordException)
        {
            // A raise of an alert that exists already (live and sweep raised it both): nothing to do.
            step.Result = step.Request is RaiseRequest
                ? new CommandResult(Outcome.Unchanged, step.Request.AlertId)
                : CommandResult.Rejected(Outcome.Conflict, "alertId", "The alert changed meanwhile; retry.");
        }
        catch (WriteRefusedException e)
        {
            // The write's own data (an acknowledgement's note, as callers are meant to have checked): this one alone fails.
            log.LogError(e, "The store refused {Request} of alert {Alert}", step.Request.GetType().Name, step.Request.AlertId);
            step.Result = CommandResult.Rejected(Outcome.Invalid, step.Request is AcknowledgeRequest ? "note" : "alertId",
                "The store refused this text; nothing was recorded.");
        }
        catch (Exception e)
        {
            // Unavailable, or a commit whose outcome the store could not confirm: a raise is recovered by the sweep, an
            // acknowledgement by the caller's retry (acknowledging twice is harmless), an escalation by the next check.
            log.LogWarning(e, "Alert {Alert} could not be recorded; the sweep or a retry will", step.Request.AlertId);
            step.Result = e is CommitOutcomeUnknownException
                ? CommandResult.Rejected(Outcome.Unknown, "", "The store lost the connection while committing; retry.")
                : CommandResult.Rejected(Outcome.Unavailable, "", "The event store is unavailable; retry.");
            if (step.Request is EscalateRequest && step.Record?.DueBy is { } due) dueBy[step.Request.AlertId] = due;
        }
    }

    Task CheckDue()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, _) in dueBy.Where(d => d.Value <= now).ToList())
        {
            dueBy.Remove(id);
            Enqueue(new EscalateRequest(id));
        }
        return Task.CompletedTask;
    }

    async Task Sweep()
    {
        var found = await sweep.FindMissedAlerts();
        log.LogDebug("Alert sweep read {Read} events up to sequence {Sequence}", found.EventsRead, found.Next.Sequence);
        if (found.Missed.Count > 0)
        {
            log.LogInformation("Alert sweep raises {Count} alerts that live delivery missed", found.Missed.Count);
            var results = await Task.WhenAll(found.Missed.Select(d => Enqueue(new RaiseRequest(d)).Done.Task));
            // Not moved on past an alert the store could not take now: the next sweep reads the same events and tries
            // again. (Any other refusal is final for that alert and must not hold back every later one.)
            if (results.Count(r => r.Outcome == Outcome.Unavailable) is > 0 and var unavailable)
            {
                log.LogWarning("Alert sweep: {Count} alerts not recorded; looked for again at the next sweep", unavailable);
                return;
            }
        }
        await sweep.Advance(found.Next);
    }

    /// <summary>
    /// The reminder only wakes the ledger (on another silo, if its own died) so the sweep and the escalation checks run
    /// even when no call arrives; activating is what rebuilds the due times and starts the timers.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
