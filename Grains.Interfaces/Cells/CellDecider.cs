using EpiGrid.Platform;

namespace EpiGrid.Cells;

/// <summary>What a command does to a cell: the events it causes, or why it causes none.</summary>
public sealed record CellDecision(IReadOnlyList<IEpiEvent> Events, CommandResult Result);

/// <summary>Decides commands against a cell's state. Pure: no clock but the one passed in, no I/O.</summary>
public static class CellDecider
{
    public static CellDecision Decide(CellState state, CellCommand command, DateTimeOffset now)
    {
        if (command is not RegisterCell && !state.Registered)
            return Reject(Outcome.NotFound, "cellId", $"Cell {state.CellId} is not registered");

        EventMeta Meta(DateTimeOffset occurredAt, string? reason = null) =>
            new(command.By.Actor, command.By.Source, occurredAt, now, reason, command.By.CorrelationId);

        return command switch
        {
            RegisterCell c when !state.Registered =>
                Accept(Outcome.Created, state.CellId, new CellRegistered(state.CellId, state.County, c.Name, c.Households, Meta(now))),
            RegisterCell c when c.Name == state.Name && c.Households == state.Households => Unchanged(state.CellId, state.Version),
            RegisterCell c =>
                Accept(Outcome.Updated, state.CellId, new CellDetailsChanged(state.CellId, c.Name, c.Households, Meta(now))),
            ReportCase c => DecideCase(state, c, Meta(c.OccurredAt)),
            ChangeCaseStatus c => DecideStatus(state, c, Meta(c.OccurredAt)),
            RegisterTraveller c => DecideTraveller(state, c, Meta(c.ArrivedAt)),
            ControlCell c => DecideControl(state, c, Meta(now, c.Reason), now),
            RecordCellVisit c => DecideVisit(state, c.Visit, now),
            _ => Reject(Outcome.Invalid, "type", $"Unknown command {command.GetType().Name}"),
        };
    }

    static CellDecision DecideCase(CellState state, ReportCase c, EventMeta meta)
    {
        if (state.Cases.TryGetValue(c.CaseId, out var known))
        {
            if (known.Kind != c.Kind || known.Local != c.Local || known.ClusterId != c.ClusterId || known.OccurredAt != c.OccurredAt
                || (c.InfectedBy is not null && known.InfectedBy != c.InfectedBy) || (c.OnsetAt is not null && known.OnsetAt != c.OnsetAt))
                return Reject(Outcome.Conflict, "caseId", $"Case {c.CaseId} was already reported with different details");
            // The person is part of the case once named: a repeat may name them for the first time, never another one.
            return (state.PersonOf(c.CaseId), c.PersonRef) switch
            {
                (null, { } person) => Accept(Outcome.Updated, c.CaseId, new CasePersonLinked(c.CaseId, state.CellId, person, meta with
                {
                    OccurredAt = meta.RecordedAt, Reason = "the case's report repeated with the person's identity",
                })),
                ({ } recorded, { } person) when recorded != person =>
                    Reject(Outcome.Conflict, c.MaskedId is null ? "personRef" : "idNumber", $"Case {c.CaseId} was already reported as another person's"),
                _ => Unchanged(c.CaseId, known.Version),
            };
        }
        return Accept(Outcome.Created, c.CaseId,
            new CaseReported(c.CaseId, state.CellId, state.County, c.Kind, c.Local, c.ClusterId, meta, c.PersonRef, c.InfectedBy, c.OnsetAt));
    }

    static CellDecision DecideStatus(CellState state, ChangeCaseStatus c, EventMeta meta)
    {
        if (!state.Cases.TryGetValue(c.CaseId, out var known))
            return Reject(Outcome.NotFound, "caseId", $"No case {c.CaseId} in cell {state.CellId}");
        // A repeat, or the status the case has held since before this moment: nothing new. (A different status, or the same
        // one at an earlier moment, reported late, is recorded: it is history, though the present stays the latest.)
        if (state.HasStatusReport(c.CaseId, c.Status, c.OccurredAt)
            || (known.Status == c.Status && c.OccurredAt >= (known.StatusAt ?? known.OccurredAt)))
            return Unchanged(c.CaseId, known.Version);
        if (known.Status == CaseStatus.Died)
            return Reject(Outcome.Conflict, "status", $"Case {c.CaseId} is recorded as died; its status cannot change");
        if (c.OccurredAt < known.OccurredAt)
            return Reject(Outcome.Invalid, "occurredAt", "A status change cannot precede the case's report");
        return Accept(Outcome.Updated, c.CaseId, new CaseStatusChanged(c.CaseId, state.CellId, known.Status, c.Status, meta));
    }

    static CellDecision DecideTraveller(CellState state, RegisterTraveller c, EventMeta meta)
    {
        if (state.Travellers.TryGetValue(c.TravellerId, out var known))
            return known.OriginArea == c.OriginArea && known.OriginRisk == c.OriginRisk && known.ArrivedAt == c.ArrivedAt
                ? Unchanged(c.TravellerId, state.Version)
                : Reject(Outcome.Conflict, "travellerId", $"Traveller {c.TravellerId} was already registered with different details");
        return Accept(Outcome.Created, c.TravellerId,
            new TravellerArrived(c.TravellerId, state.CellId, state.County, c.OriginArea, c.OriginRisk, c.Mode, c.Quarantine, meta));
    }

    /// <summary>
    /// The control in force is what a request is compared with: the same level, reason and end again is a repeat (no event,
    /// no alert); lifting a cell with no control in force (never controlled, lifted, or lapsed) is one too.
    /// </summary>
    static CellDecision DecideControl(CellState state, ControlCell c, EventMeta meta, DateTimeOffset now)
    {
        var inForce = state.Control is { } control && control.InForceAt(now) ? control : null;
        if (inForce is null ? c.Level == ControlLevel.Open : inForce.Level == c.Level && inForce.Reason == c.Reason && inForce.Until == c.Until)
            return Unchanged(state.CellId, state.Version);
        if (c.Level == ControlLevel.Open && c.Until is not null)
            return Reject(Outcome.Invalid, "until", "Lifting a control (level open) takes no until.");
        if (c.Until <= now)
            return Reject(Outcome.Invalid, "until", $"Must be after now ({now:O}).");
        return Accept(Outcome.Updated, state.CellId, new CellControlChanged(state.CellId, state.County, c.Level,
            inForce?.Level ?? ControlLevel.Open, c.Until, (state.Control?.Revision ?? 0) + 1, meta));
    }

    /// <summary>
    /// A visit that names no person (issue 19): once per visit id (a resend changes nothing). Its not-home count runs over
    /// the cell's earlier visits that answered the same alert; a visit answering none starts no run.
    /// </summary>
    static CellDecision DecideVisit(CellState state, EpiGrid.People.VisitReport v, DateTimeOffset now)
    {
        if (state.Visits.FirstOrDefault(x => x.VisitId == v.VisitId) is { } known) return Unchanged(known.VisitId, state.Version);
        if (v.PersonRef is not null) return Reject(Outcome.Invalid, "personRef", "A visit to a person is the person's, not the cell's.");
        var earlier = v.AlertId is null ? [] : state.Visits.Where(x => x.AlertId == v.AlertId);
        return Accept(Outcome.Created, v.VisitId, EpiGrid.People.VisitRules.Record(v, state.CellId, state.County, earlier, now));
    }

    static CellDecision Accept(Outcome outcome, string id, IEpiEvent e) => new([e], new CommandResult(outcome, id));
    static CellDecision Unchanged(string id, long version) => new([], new CommandResult(Outcome.Unchanged, id, Version: version));
    static CellDecision Reject(Outcome outcome, string field, string error) => new([], CommandResult.Rejected(outcome, field, error));
}
