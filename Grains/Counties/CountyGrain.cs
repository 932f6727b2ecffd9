using EpiGrid.Alerts;
using EpiGrid.Geography;
using EpiGrid.People;
using EpiGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Counties;

/// <summary>
/// A county: merges its cells' changes (from its stream, and from the store when it may have missed some),
/// evaluates every rule set, records colour changes with their explanation, and tells the province.
/// </summary>
[ImplicitStreamSubscription(StreamNames.CellChanges)]
public sealed class CountyGrain(
    OneOfAKindGrains oneOfAKind,
    Province province,
    RuleBook rules,
    MeasureTable measures,
    CountyRecords records,
    IEventLog eventLog,
    IOptions<CountyOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<CountyGrain> log) : Grain, ICountyGrain, IStreamSubscriptionObserver, IAsyncObserver<CellChanged>
{
    readonly CountyCaseBook book = new(province.Options.UtcOffset);
    Dictionary<string, ColourDecision> recorded = [];
    long streamVersion;
    CountyView view = null!;
    IAsyncStream<CountyView>? provinceStream;
    IGrainTimer? pendingEvaluation;
    long lastEvaluatedAt = long.MinValue / 2;
    long? storedAtLastCheck;

    string Code => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (province.Find(Code) is null) throw new ArgumentException($"Unknown county {Code}");
        (recorded, streamVersion) = await records.LastColours(Code);
        provinceStream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<CountyView>(StreamId.Create(StreamNames.CountyChanges, 0));
        await Reconcile();
        // A county that wakes (after a silo was lost) wakes its quarantine watch too, so no deadline waits for a call.
        _ = GrainFactory.GetGrain<EpiGrid.People.IQuarantineWatchGrain>(Code).Wake();
        var o = options.Value;
        this.RegisterGrainTimer(Evaluate, new GrainTimerCreationOptions(o.EvaluationInterval, o.EvaluationInterval) { KeepAlive = true });
        this.RegisterGrainTimer(Reconcile, new GrainTimerCreationOptions(o.ReconcileInterval, o.ReconcileInterval) { KeepAlive = true });
    }

    /// <summary>Always current: a change still waiting for its evaluation is evaluated first.</summary>
    public async Task<CountyView> GetView()
    {
        if (pendingEvaluation is not null) await EvaluatePending();
        return view with { BusiestCells = book.Busiest(options.Value.BusiestCells), ControlledCells = book.ControlledAt(view.EvaluatedAt) };
    }

    /// <summary>Cells whose cases one read of a reconcile takes (<see cref="Reconcile"/>).</summary>
    const int CellsPerRead = 200;

    /// <summary>
    /// Reads the county's cell rows, then the cases of the cells whose rows are ahead of what the book holds (all of them
    /// when the county wakes; none for a county up to date, however long its history), a few hundred cells at a time,
    /// each read settled before the next: a county waking over a long history never holds all its records at once, and the
    /// silo's counties, waking together, hold at most <see cref="CountyOptions.ConcurrentReconcileReads"/> reads between them.
    /// </summary>
    public async Task Reconcile()
    {
        var cells = await records.CellsOf(Code);
        var now = clock.GetUtcNow();
        foreach (var behind in cells.Where(c => c.Version > book.KnownVersion(c.Id)).Chunk(CellsPerRead))
        {
            await records.ForReconcile(behind.Select(c => c.Id).ToArray(), Replace);
            book.Settle(now);
        }
        await Evaluate();
    }

    /// <summary>What the store holds for these cells, in one snapshot, replaces what the book holds of those it is behind.</summary>
    async Task ReadCells(string[] cellIds)
    {
        var (cells, cases) = await records.CellsWithCases(cellIds);
        Replace(cells, cases);
    }

    void Replace(IReadOnlyList<CellRecord> cells, IReadOnlyList<CaseRecord> cases) =>
        book.Replace(cells.Select(c => c.ToTally()), cases.Select(c => c.ToFact()));

    /// <summary>
    /// Lost stream messages are only seen by the next message of the same cell; the last ones before a quiet spell
    /// (or a silo lost with its queues) would wait for the backstop. A county behind the store is not yet suspect:
    /// messages may be in flight. Still behind what the store held one check earlier, it missed them, and re-reads.
    /// </summary>
    public async Task<CountyView> Verify(long storedVersionSum)
    {
        if (book.VersionSum >= storedVersionSum) storedAtLastCheck = null;
        else if (storedAtLastCheck is { } earlier && book.VersionSum < earlier)
        {
            log.LogInformation("County {County} is behind the store ({Known} < {Stored}); reconciling", Code, book.VersionSum, earlier);
            storedAtLastCheck = null;
            await Reconcile();
        }
        else storedAtLastCheck = storedVersionSum;
        return await GetView();
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<CellChanged>().ResumeAsync(this);

    public async Task OnNextAsync(CellChanged change, StreamSequenceToken? token = null)
    {
        if (!book.Apply(change))
        {
            log.LogInformation("County {County} missed a change of cell {Cell}; reconciling it", Code, change.CellId);
            await ReadCells([change.CellId]);
            // The store holds the change (it was committed before it was sent); if a later commit already replaced it,
            // this is a repeat and changes nothing.
            book.Apply(change);
        }
        // Evaluating the whole county for every message cost more than the cell and its commit together. A quiet
        // county evaluates at once; changes that follow within EvaluationDelay of an evaluation are evaluated together.
        if (pendingEvaluation is not null) return;
        var since = TimeSpan.FromMilliseconds(Environment.TickCount64 - lastEvaluatedAt);
        if (since >= options.Value.EvaluationDelay) await Evaluate();
        else pendingEvaluation = this.RegisterGrainTimer(EvaluatePending,
            new GrainTimerCreationOptions(options.Value.EvaluationDelay - since, Timeout.InfiniteTimeSpan));
    }

    Task EvaluatePending()
    {
        pendingEvaluation?.Dispose();
        pendingEvaluation = null;
        return Evaluate();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        log.LogWarning(ex, "Stream error in county {County}", Code);
        return Task.CompletedTask;
    }

    async Task Evaluate()
    {
        lastEvaluatedAt = Environment.TickCount64;
        var now = clock.GetUtcNow();
        // What is older than the window as of now is kept as counts from here on (the domain clock only moves forward).
        book.Settle(now);
        var evaluated = CountyProjection.View(province.Find(Code)!, book.Cases, book.Travellers, now, province.Options.UtcOffset, rules,
            controls: book.Controls, settled: book.Settled);
        await RecordChanges(evaluated.Colours, evaluated.Indicators, now);
        var previous = view;
        view = evaluated;
        if (SameFigures(previous, view)) return;
        _ = oneOfAKind.PushHub.Publish(PushBatch.Of(view));
        try
        {
            await provinceStream!.OnNextAsync(view);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not tell the province about county {County}; it will refresh", Code);
        }
    }

    static bool SameFigures(CountyView? a, CountyView b) =>
        a is not null && a.Indicators == b.Indicators && a.Travellers == b.Travellers && a.Controls == b.Controls
        && b.Colours.All(c => c.Value.SameOutcomeAs(a.Colours.GetValueOrDefault(c.Key)));

    async Task RecordChanges(IReadOnlyDictionary<string, ColourDecision> decisions, CountyIndicators indicators, DateTimeOffset now)
    {
        var changes = decisions.Values.Where(d => !d.SameOutcomeAs(recorded.GetValueOrDefault(d.RuleSet)))
            .Select(d => (IEpiEvent)new CountyColourChanged(Code, d.RuleSet, d.RuleVersion,
                recorded.GetValueOrDefault(d.RuleSet)?.Level, recorded.GetValueOrDefault(d.RuleSet)?.Colour,
                d.Level, d.Colour, d.Reasons, d.Inputs,
                new EventMeta("epigrid", "rules", now, now, $"{d.RuleSet} {d.RuleVersion} evaluated {d.Colour}")))
            .ToList();
        if (changes.Count == 0) return;
        try
        {
            await eventLog.AppendAsync(new StreamWrite(StreamKeys.County(Code), streamVersion, changes, [], [], WriteLane.Urgent));
            var alerts = changes.Cast<CountyColourChanged>()
                .Select((e, i) => AlertRules.ForColourChange(e, streamVersion + i + 1, rules.Default.Name, measures))
                .OfType<AlertDraft>().ToList();
            if (alerts.Count > 0) _ = oneOfAKind.Ledger.Raise(alerts);
            // Spatial screening hears of every default colour that is, or ends, a red, orange or yellow spell.
            var recordedChanges = changes.Cast<CountyColourChanged>().ToList();
            if (recordedChanges.Any(c => c.RuleSet == rules.Default.Name
                                         && (SpatialScreening.RiskOf(c.Colour) is not null || c.FromColour is { } from && SpatialScreening.RiskOf(from) is not null)))
                _ = GrainFactory.GetGrain<IPlaceScreeningGrain>(Code).ColoursRecorded(recordedChanges, streamVersion + 1);
            streamVersion += changes.Count;
            foreach (var d in decisions.Values) recorded[d.RuleSet] = d;
        }
        catch (StreamConflictException)
        {
            // Another activation of this county recorded first: take its history and decide again next time.
            (recorded, streamVersion) = await records.LastColours(Code);
        }
        catch (StoreUnavailableException e)
        {
            log.LogWarning(e, "County {County} could not record its colour change; will retry", Code);
        }
        catch (Exception e) when (e is CommitOutcomeUnknownException or WriteRefusedException)
        {
            // Recorded or not, the store says which when it answers again: take what it holds (the alert sweep raises
            // the alert of a colour change that landed) and decide again next time.
            log.LogWarning(e, "County {County}'s colour change was not confirmed; it reads its history again", Code);
            try { (recorded, streamVersion) = await records.LastColours(Code); }
            catch (Exception again) { log.LogWarning(again, "County {County} could not read its history; will retry", Code); DeactivateOnIdle(); }
        }
    }
}
