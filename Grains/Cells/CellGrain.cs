using EpiGrid.Alerts;
using EpiGrid.People;
using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Cells;

/// <summary>
/// A grid cell: decides commands against its state, commits the events (group commit), then applies them and
/// tells its county. State is rebuilt from the cell's stream when the grain wakes; idle cells stay asleep.
/// </summary>
public sealed class CellGrain(
    OneOfAKindGrains oneOfAKind,
    IEventLog eventLog,
    IDocumentStore store,
    ICellChangePublisher publisher,
    IOptions<AlertOptions> alertOptions,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<CellGrain> log) : Grain, ICellGrain
{
    CellState state = null!;
    Task announcing = Task.CompletedTask;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        state = await Load(cancellationToken);

    public Task<CellView?> GetView() => Task.FromResult(state.Registered ? state.ToView(clock.GetUtcNow()) : null);

    public Task<bool> IsRegistered() => Task.FromResult(state.Registered);

    /// <remarks>Commands are decided on a copy, so a failed commit leaves the committed state untouched.</remarks>
    public async Task<IReadOnlyList<CommandResult>> Execute(IReadOnlyList<CellCommand> commands)
    {
        var working = state.Clone();
        var now = clock.GetUtcNow();
        var results = new CommandResult[commands.Count];
        var events = new List<IEpiEvent>();
        for (var i = 0; i < commands.Count; i++)
        {
            var decision = CellDecider.Decide(working, commands[i], now);
            foreach (var e in decision.Events)
            {
                working.Apply(e, working.Version + 1);
                events.Add(e);
            }
            results[i] = decision.Events.Count > 0 ? decision.Result with { Version = working.Version } : decision.Result;
        }
        if (events.Count == 0)
        {
            // A repeat completes what its first attempt may have left undone: the person's side of their case.
            await TellPersons(commands, results);
            return results;
        }

        try
        {
            await eventLog.AppendAsync(CellWrites.For(state, working, events));
        }
        catch (DuplicateRecordException) when (commands.Count > 1)
        {
            // One command clashes with another cell's record: run them singly so only that one fails.
            var singly = new List<CommandResult>(commands.Count);
            foreach (var command in commands) singly.AddRange(await Execute([command]));
            return singly;
        }
        catch (Exception e) when (e is DuplicateRecordException or StreamConflictException or StoreUnavailableException
                                   or WriteRefusedException or CommitOutcomeUnknownException)
        {
            // A conflict, or a commit the store could not confirm either way: the next activation reads what the store holds.
            if (e is StreamConflictException or CommitOutcomeUnknownException) DeactivateOnIdle();
            var (outcome, error) = e switch
            {
                DuplicateRecordException => (Outcome.Conflict, "The id is already recorded in another cell"),
                WriteRefusedException => (Outcome.Invalid, "The store refused the report's text; nothing was recorded."),
                CommitOutcomeUnknownException => (Outcome.Unknown, "The connection to the store was lost while the change committed."),
                _ => (Outcome.Unavailable, "The event store could not commit the change; nothing was recorded. Retry."),
            };
            return results.Select(r => r.Outcome is Outcome.Created or Outcome.Updated
                ? CommandResult.Rejected(outcome, "", error) with { EntityId = r.EntityId }
                : r).ToList();
        }

        var before = state;
        state = working;
        announcing = Announce(announcing, Announcement(before, events));
        await TellPersons(commands, results);
        return results;
    }

    /// <summary>
    /// After the commit, and before answering: each person named by a case of these commands hears of the case as it now
    /// stands, so their code changes within the request (issue 16). A person that could not be told turns the command's
    /// answer into Unknown: the case is recorded, and the same request repeated tells the person (it is idempotent).
    /// </summary>
    async Task TellPersons(IReadOnlyList<CellCommand> commands, CommandResult[] results)
    {
        List<(int Index, string Person, PersonCaseLink Link)>? links = null;
        for (var i = 0; i < commands.Count; i++)
        {
            var (caseId, maskedId) = commands[i] switch
            {
                ReportCase c => (c.CaseId, c.MaskedId),
                ChangeCaseStatus s => (s.CaseId, (string?)null),
                _ => (null, null),
            };
            if (caseId is null || !results[i].Succeeded || state.PersonOf(caseId) is not { } person || !state.Cases.TryGetValue(caseId, out var fact)) continue;
            (links ??= []).Add((i, person, new PersonCaseLink(commands[i].By, caseId, state.CellId, fact.Kind, fact.Status, fact.OccurredAt,
                fact.StatusAt ?? fact.OccurredAt, maskedId)));
        }
        if (links is null) return;
        // One person's cases in order; different persons at once.
        await Task.WhenAll(links.GroupBy(l => l.Person).Select(async person =>
        {
            foreach (var (index, personRef, link) in person)
            {
                CommandResult told;
                try
                {
                    // Bounded well below a grain call's 30 s: a person busy registering an arrival with this very cell waits for
                    // this cell, which waits for them. Past the bound the cell's turn ends (the answer is "not yet known"), the
                    // person's call to the cell goes through, and the person still takes this link once free.
                    (told, _) = await GrainFactory.GetGrain<IPersonGrain>(personRef).RecordCase(link).WaitAsync(PersonCallTimeout);
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Could not tell person {Person} about case {Case} of cell {Cell}", personRef, link.CaseId, state.CellId);
                    told = CommandResult.Rejected(Outcome.Unavailable, "", "");
                }
                if (!told.Succeeded)
                    results[index] = CommandResult.Rejected(Outcome.Unknown, "",
                        "The case is recorded, but the person's health code could not be updated yet.") with { EntityId = link.CaseId };
            }
        }));
    }

    /// <summary>How long a cell waits for a person to take one of their cases (<see cref="TellPersons"/>).</summary>
    static readonly TimeSpan PersonCallTimeout = TimeSpan.FromSeconds(5);

    sealed record Changes(CellChanged ForCounty, IReadOnlyList<AlertDraft> Alerts, CellSummary Summary);

    /// <summary>What to tell others about a commit, taken from the state as it is now.</summary>
    Changes Announcement(CellState before, IReadOnlyList<IEpiEvent> events)
    {
        return new Changes(
            state.Changed(before, events),
            events.SelectMany(e => AlertRules.ForCellEvent(e, alertOptions.Value)).ToList(),
            CellSummary.Of(state));
    }

    /// <summary>
    /// Tells the county (stream), the alert ledger and the web hosts, after the caller has its answer: none of them
    /// is needed for correctness (counties reconcile, the ledger sweeps). Chained, so a cell's messages stay in order.
    /// </summary>
    async Task Announce(Task previous, Changes changes)
    {
        await previous;
        // Awaited (the ledger only queues them): Orleans does not keep one sender's messages in order, and a cell's
        // alerts must take their sequence numbers in the order of the cell's events.
        if (changes.Alerts.Count > 0)
        {
            try
            {
                await oneOfAKind.Ledger.Raise(changes.Alerts);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not hand cell {Cell}'s alerts to the ledger; its sweep will raise them", changes.Summary.CellId);
            }
        }
        _ = oneOfAKind.PushHub.Publish(PushBatch.Of(changes.Summary));
        try
        {
            await publisher.Publish(changes.Summary.County, changes.ForCounty);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not tell county {County} about cell {Cell}; it will reconcile", changes.Summary.County, changes.Summary.CellId);
        }
    }

    async Task<CellState> Load(CancellationToken cancellationToken)
    {
        var copy = new CellState(this.GetPrimaryKeyString());
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamKeys.Cell(copy.CellId), token: cancellationToken);
        foreach (var e in events) copy.Apply(e.Data, e.Version);
        return copy;
    }
}
