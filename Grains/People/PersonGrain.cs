using EpiGrid.Alerts;
using EpiGrid.Geography;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.People;

/// <summary>
/// A person under watch (key: the keyed reference of their identity number; the number itself never reaches a
/// grain). Decides reports with the pure <see cref="PersonDecider"/>, records the events and the health code they
/// lead to, registers a new arrival with the cell the person stays in, and tells the county's quarantine watch.
/// </summary>
public sealed class PersonGrain(
    OneOfAKindGrains oneOfAKind,
    IEventLog eventLog,
    IDocumentStore store,
    Province province,
    IOptions<TravellerOptions> options,
    IOptions<AlertOptions> alertOptions,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock) : Grain, IPersonGrain
{
    PersonState state = null!;
    /// <summary>The state was read for the call now running (by the activation): no second read for it.</summary>
    bool justRead;
    TimeSpan Offset => province.Options.UtcOffset;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state = await Read(cancellationToken);
        justRead = true;
    }

    async Task<PersonState> Read(CancellationToken cancellationToken = default)
    {
        var loaded = new PersonState(this.GetPrimaryKeyString());
        await using var session = store.QuerySession();
        foreach (var e in await session.Events.FetchStreamAsync(StreamKeys.Person(loaded.PersonRef), token: cancellationToken))
            loaded.Apply(e.Data, e.Version);
        return loaded;
    }

    /// <summary>
    /// A person not on record when this activation read the stream may have been recorded since by a bulk import
    /// (<see cref="ArrivalImportGrain"/> writes new persons' streams without activating them): read it again, unless the
    /// activation read it for this very call (a new contact or case person would be read twice, one query per person).
    /// </summary>
    async Task RefreshIfUnknown()
    {
        if (!state.Known && !justRead) state = await Read();
        justRead = false;
    }

    public async Task<ArrivalResult> ReportArrival(ReportArrival report)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        var decision = PersonDecider.Arrival(state, report, Province.CountyOfCell(report.CellId), now, options.Value);
        if (decision.Events.Count == 0)
        {
            // A repeat of a report that was recorded without being applied (outside the reporter's reach): nothing more.
            if (!decision.Applied) return new(decision.Result, null, false, state.View(now, Offset), Applied: false);
            // A repeat of a recorded report. Its first attempt may have recorded the person and then failed to reach the
            // cell: the repeat completes that (the cell recognises an arrival it holds already).
            var known = state.Arrivals.First(a => a.ArrivalId == decision.ArrivalId);
            var held = await HoldInCell(report with { OriginArea = known.OriginArea, OriginRisk = known.OriginRisk, ArrivedAt = known.ArrivedAt, CellId = known.CellId }, known.ArrivalId, now);
            return held is { } notHeld ? new(notHeld, null, false, null) : new(decision.Result, decision.ArrivalId, false, state.View(now, Offset));
        }
        // The person first, then the cell: a cell never holds a traveller whose person was not recorded (an orphan). A
        // cell that missed the arrival gets it when the report is repeated (above). The cell must exist before either.
        if (decision.NewArrival && !await GrainFactory.GetGrain<ICellGrain>(report.CellId).IsRegistered())
            return new(CommandResult.Rejected(Outcome.NotFound, "cellId", $"Cell {report.CellId} is not registered"), null, false, null);
        if (await Commit(decision.Events, now, report.By) is { } failure) return new(failure, null, false, null);
        if (decision.NewArrival && await HoldInCell(report, decision.ArrivalId!, now) is { } notInCell) return new(notInCell, null, false, null);
        return new(decision.Result, decision.ArrivalId, decision.Corroborated, state.View(now, Offset), decision.Applied);
    }

    /// <summary>Registers a recorded arrival with the cell it stays in; null once the cell holds it.</summary>
    async Task<CommandResult?> HoldInCell(ReportArrival report, string arrivalId, DateTimeOffset now)
    {
        var registered = (await GrainFactory.GetGrain<ICellGrain>(report.CellId).Execute([PersonDecider.TravellerOf(report, arrivalId, now, Offset)]))[0];
        if (registered.Succeeded) return null;
        return registered.Outcome is Outcome.Unavailable or Outcome.Unknown
            ? CommandResult.Rejected(registered.Outcome, "", "The arrival is recorded for the person, but the cell could not list it yet; repeat the same report.")
            : registered with { EntityId = null };
    }

    public async Task<(CommandResult Result, CodeView? Code)> CheckIn(RecordCheckIn c)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        if (!state.Known) return (CommandResult.Rejected(Outcome.NotFound, "personRef", $"No person {state.PersonRef} on record"), null);
        if (state.CheckIns.Any(x => x.At == c.OccurredAt))
            return (new CommandResult(Outcome.Unchanged, state.PersonRef, Version: state.Version), state.View(now, Offset));
        var recorded = new CheckInRecorded(state.PersonRef, c.TemperatureCelsius, c.Symptoms,
            new EventMeta(c.By.Actor, c.By.Source, c.OccurredAt, now, null, c.By.CorrelationId), state.CellId);
        if (await Commit([recorded], now, c.By) is { } failure) return (failure, null);
        return (new CommandResult(Outcome.Created, state.PersonRef, Version: state.Version), state.View(now, Offset));
    }

    public async Task<(CommandResult Result, CodeView? Code)> RecordCase(PersonCaseLink link)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        var decision = PersonDecider.Case(state, link, now);
        if (decision.Events.Count == 0) return (decision.Result, decision.Result.Succeeded ? state.View(now, Offset) : null);
        if (await Commit(decision.Events, now, link.By) is { } failure) return (failure, null);
        return (decision.Result with { Version = state.Version }, state.View(now, Offset));
    }

    public async Task<(CommandResult Result, CodeView? Code)> ReportContact(ReportContact report)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        var decision = PersonDecider.Contact(state, report, now);
        if (decision.Events.Count == 0) return (decision.Result, state.View(now, Offset));
        // A person new to the platform is watched in the cell the report names: it must exist.
        if (!state.Known && !await GrainFactory.GetGrain<ICellGrain>(report.CellId).IsRegistered())
            return (CommandResult.Rejected(Outcome.NotFound, "cellId", $"Cell {report.CellId} is not registered"), null);
        if (await Commit(decision.Events, now, report.By) is { } failure) return (failure, null);
        return (decision.Result with { Version = state.Version }, state.View(now, Offset));
    }

    public async Task<(CommandResult Result, CodeView? Code)> RecordStays(ReportStays report)
    {
        await RefreshIfUnknown();
        var places = await Places(report.Stays);
        var now = clock.GetUtcNow();
        var decision = PersonDecider.Stays(state, report, places.Spells, CountyName, now);
        if (decision.Events.Count == 0) return (decision.Result, decision.Result.Succeeded ? state.View(now, Offset) : null);
        if (await Commit(decision.Events, now, report.By) is { } failure) return (failure, null);
        places.Visited(GrainFactory, state.PersonRef, report.Stays);
        return (decision.Result with { Version = state.Version }, state.View(now, Offset));
    }

    public async Task<(CommandResult Result, CodeView? Code, bool Disputed)> Declare(Declaration declaration)
    {
        await RefreshIfUnknown();
        var places = await Places(declaration.Stays);
        var now = clock.GetUtcNow();
        var (decision, disputed) = PersonDecider.Declare(state, declaration, places.Spells, CountyName, now);
        // A declaration from another phone answers no code: the code is its holder's, and this may not be them.
        CodeView? Code() => disputed ? null : state.View(now, Offset);
        if (decision.Events.Count == 0) return (decision.Result, Code(), disputed);
        // A person new to the platform is watched in the cell they declared: it must exist.
        if (!state.Known && !await GrainFactory.GetGrain<ICellGrain>(declaration.CellId).IsRegistered())
            return (CommandResult.Rejected(Outcome.NotFound, "cellId", $"Cell {declaration.CellId} is not registered"), null, disputed);
        if (await Commit(decision.Events, now, declaration.By) is { } failure) return (failure, null, disputed);
        if (!disputed) places.Visited(GrainFactory, state.PersonRef, declaration.Stays);
        return (decision.Result with { Version = state.Version }, Code(), disputed);
    }

    public async Task<(CommandResult Result, CodeView? Code)> RecordVisit(VisitReport visit, string cellId)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        var decision = PersonDecider.Visit(state, visit, cellId, Province.CountyOfCell(cellId), now);
        if (decision.Events.Count == 0) return (decision.Result, decision.Result.Succeeded ? state.View(now, Offset) : null);
        if (await Commit(decision.Events, now, visit.By) is { } failure) return (failure, null);
        return (decision.Result with { Version = state.Version }, state.View(now, Offset));
    }

    /// <summary>The colour history of every county of an itinerary, read before deciding (the places' grains answer from memory).</summary>
    async Task<ScreenedPlaces> Places(IReadOnlyList<Stay> stays)
    {
        var counties = stays.Select(s => s.County).OfType<string>().Distinct().ToList();
        var timelines = await Task.WhenAll(counties.Select(c => GrainFactory.GetGrain<IPlaceScreeningGrain>(c).Timeline()));
        return new ScreenedPlaces(counties, timelines);
    }

    sealed record ScreenedPlaces(IReadOnlyList<string> Counties, IReadOnlyList<ColourSpell>[] Timelines)
    {
        public IReadOnlyList<ColourSpell> Spells => Timelines.SelectMany(t => t).ToList();

        /// <summary>Each county now watches the person's stays there, and tells them of any colour recorded since its timeline was read.</summary>
        public void Visited(IGrainFactory grains, string personRef, IReadOnlyList<Stay> stays)
        {
            foreach (var (county, timeline) in Counties.Zip(Timelines))
                _ = grains.GetGrain<IPlaceScreeningGrain>(county).Visited(personRef,
                    stays.Where(s => s.County == county).ToList(), timeline.Count == 0 ? 0 : timeline[^1].Version);
        }
    }

    public async Task<CommandResult> PlaceTurned(ColourSpell spell)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        var decision = PersonDecider.PlaceTurned(state, spell, CountyName(spell.County), now);
        if (decision.Events.Count == 0) return decision.Result;
        return await Commit(decision.Events, now, new Provenance("epigrid", "spatial-screening")) ?? decision.Result with { Version = state.Version };
    }

    string CountyName(string code) => province.Find(code) is { } c ? $"{c.NameZh} {c.NameEn}" : code;

    public Task<ContactOfCase?> CloseContactOf()
    {
        // Interleaves with the other calls: reads the state as it stands, never awaits. The activation's read was not for
        // the call that follows, which reads again if the person is still unknown.
        justRead = false;
        return Task.FromResult(state.Contacts.FirstOrDefault(c => c.Degree == 1) is { } c ? new ContactOfCase(c.CaseId, c.CaseCounty, state.CellId!) : null);
    }

    public async Task<CodeView?> GetCode()
    {
        await RefreshIfUnknown();
        return state.View(clock.GetUtcNow(), Offset);
    }

    public async Task<string?> CellOf()
    {
        // Interleaves with the other calls: reads without touching the state (the activation's read was not for the next call).
        justRead = false;
        return state.Known ? state.CellId : (await Read()).CellId;
    }

    public async Task<CommandResult> DayMissed(DateOnly day)
    {
        await RefreshIfUnknown();
        var now = clock.GetUtcNow();
        // A person with an open case is the hospital's, not the watch's: no check-in is asked of them.
        if (!state.Known || state.MissedDays.Contains(day) || state.Code(now, Offset).Colour == "green"
            || state.Cases.Values.Any(HealthCodeRules.IsOpen)
            || state.CheckIns.Any(c => c.At.LocalDay(Offset) == day)) return new CommandResult(Outcome.Unchanged, state.PersonRef, Version: state.Version);
        var by = new Provenance("epigrid", "quarantine-watch");
        // A miss that did not commit is reported as such: the watch stays on this day and asks again.
        return await Commit([new CheckInMissed(state.PersonRef, day, state.CellId!, new EventMeta(by.Actor, by.Source, now, now, $"No check-in on {day:yyyy-MM-dd}"))], now, by)
            ?? new CommandResult(Outcome.Created, state.PersonRef, Version: state.Version);
    }

    /// <summary>Records events and the code change they cause; null on success, else why nothing was recorded.</summary>
    async Task<CommandResult?> Commit(IReadOnlyList<IEpiEvent> events, DateTimeOffset now, Provenance by)
    {
        var (working, all) = PersonDecider.Settle(state, events, now, Offset, by);
        var record = PersonRecord.Of(working, Offset);
        try
        {
            await eventLog.AppendAsync(new StreamWrite(StreamKeys.Person(state.PersonRef), state.Version, all, [], [record]));
        }
        catch (Exception e) when (e is StreamConflictException or StoreUnavailableException or DuplicateRecordException
                                   or WriteRefusedException or CommitOutcomeUnknownException)
        {
            if (e is StreamConflictException or CommitOutcomeUnknownException) DeactivateOnIdle();
            return e switch
            {
                WriteRefusedException => CommandResult.Rejected(Outcome.Invalid, "", "The store refused the report's text; nothing was recorded."),
                CommitOutcomeUnknownException => CommandResult.Rejected(Outcome.Unknown, "", "The connection to the store was lost while the report committed."),
                _ => CommandResult.Rejected(Outcome.Unavailable, "", "Nothing was recorded; retry."),
            };
        }
        state = working;
        var alerts = all.SelectMany(e => AlertRules.ForPersonEvent(e, record.CellId, record.County, alertOptions.Value)).ToList();
        if (alerts.Count > 0) _ = oneOfAKind.Ledger.Raise(alerts);
        _ = GrainFactory.GetGrain<IQuarantineWatchGrain>(record.County).Track(record.ToEntry());
        return null;
    }
}
