using EpiGrid.Alerts;
using EpiGrid.Geography;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Diagnostics;
using Orleans.Concurrency;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.People;

/// <summary>
/// The bulk path of the arrivals import. A person grain per row costs an activation (a read of the person's
/// stream), a cell call and a commit of its own: ~1,000 rows/s. Here a chunk of rows is decided at once with the
/// same pure rules (<see cref="PersonDecider"/>, <see cref="PersonDecider.Settle"/>):
/// <list type="number">
/// <item>the persons of the chunk already on record are read in one query; a row that changes nothing for them is
/// a duplicate at once (a re-import activates no grain); a row that would change a known person, or a second row of
/// a new person in the same chunk, goes through the person grain afterwards, in order;</item>
/// <item>the new persons' events and registers are committed through the group commit, all at once, so they fill
/// its transactions; a person recorded meanwhile by someone else (a stream conflict) goes through its grain;</item>
/// <item>then the committed persons' travellers are registered with their cells, all of a cell's rows in one call (the
/// cell stays the only writer of its stream, and raises the visit alerts as before). The person comes first, as on the
/// single path: a cell never holds a traveller whose person was not recorded; a row whose cell could not list it is
/// answered so, and repeating it completes the cell (the person grain recognises the arrival);</item>
/// <item>then, once per chunk: the quarantine watches of the counties and the alert ledger.</item>
/// </list>
/// New persons' grains are not activated: they read their stream when first called (and a grain that found no
/// person reads again, see <see cref="PersonGrain"/>). Nothing is answered before it is committed.
/// </summary>
[StatelessWorker]
public sealed class ArrivalImportGrain(
    OneOfAKindGrains oneOfAKind,
    IEventLog eventLog,
    IDocumentStore store,
    Province province,
    IOptions<TravellerOptions> options,
    IOptions<AlertOptions> alertOptions,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<ArrivalImportGrain> log) : Grain, IArrivalImportGrain
{
    const int PersonGrainsInParallel = 64, CellsInParallel = 500, CellAttempts = 3;
    TimeSpan Offset => province.Options.UtcOffset;

    sealed record NewPerson(int Row, ImportedArrival Arrival, PersonDecider.Decision Decision);

    public async Task<IReadOnlyList<CommandResult>> Import(IReadOnlyList<ImportedArrival> rows)
    {
        // Everything this chunk causes, here and in the cells and persons it calls, is written in the bulk lane.
        BulkWork.Mark();
        var now = clock.GetUtcNow();
        var timer = Stopwatch.StartNew();
        var results = new CommandResult?[rows.Count];
        var known = await OnRecord(rows.Select(r => r.PersonRef).Distinct().ToList());
        var read = timer.Elapsed;

        var viaGrain = new List<int>();
        var fresh = new Dictionary<string, NewPerson>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var (personRef, report) = rows[i];
            if (known.TryGetValue(personRef, out var state))
            {
                var decision = PersonDecider.Arrival(state, report, Province.CountyOfCell(report.CellId), now, options.Value);
                if (decision.Events.Count == 0) results[i] = decision.Result;
                else viaGrain.Add(i);
            }
            else if (fresh.ContainsKey(personRef)) viaGrain.Add(i);
            else fresh[personRef] = new NewPerson(i, rows[i],
                PersonDecider.Arrival(new PersonState(personRef), report, Province.CountyOfCell(report.CellId), now, options.Value));
        }

        var inCells = await InRegisteredCells(fresh.Values, results);
        var (committed, conflicts) = await CommitPersons(inCells, results, now);
        var persons = timer.Elapsed;
        viaGrain.AddRange(conflicts);
        await RegisterTravellers(committed, results, now);
        var cells = timer.Elapsed;

        // Rows that need a person's own grain: in file order for each person, persons in parallel (on this
        // activation's scheduler: Parallel.ForEachAsync would run them on pool threads, outside the grain's context).
        foreach (var batch in viaGrain.Order().GroupBy(i => rows[i].PersonRef).Chunk(PersonGrainsInParallel))
            await Task.WhenAll(batch.Select(async person =>
            {
                foreach (var i in person)
                    results[i] = (await GrainFactory.GetGrain<IPersonGrain>(rows[i].PersonRef).ReportArrival(rows[i].Report)).Result;
            }));
        log.LogInformation("Imported {Rows} rows ({Known} persons on record, {New} new, {ViaGrain} via their grain) in {Total:0} ms: "
            + "read {Read:0} ms, persons {Persons:0} ms, cells {Cells:0} ms, via grains {Grains:0} ms",
            rows.Count, known.Count, committed.Count, viaGrain.Count, timer.Elapsed.TotalMilliseconds, read.TotalMilliseconds,
            (persons - read).TotalMilliseconds, (cells - persons).TotalMilliseconds, (timer.Elapsed - cells).TotalMilliseconds);
        return results.Select(r => r!).ToList();
    }

    /// <summary>The persons of the chunk already on record, folded from their events (one query).</summary>
    async Task<Dictionary<string, PersonState>> OnRecord(List<string> personRefs)
    {
        var keys = personRefs.Select(StreamKeys.Person).ToList();
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => keys.Contains(e.StreamKey!))
            .OrderBy(e => e.Sequence)
            .ToListAsync();
        var states = new Dictionary<string, PersonState>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var personRef = StreamKeys.IdOf(e.StreamKey!, StreamKind.Person)!;
            if (!states.TryGetValue(personRef, out var state)) states[personRef] = state = new PersonState(personRef);
            state.Apply(e.Data, e.Version);
        }
        return states;
    }

    /// <summary>The new persons whose cell is registered (one read of the cells' register); the others are answered.</summary>
    async Task<List<NewPerson>> InRegisteredCells(IEnumerable<NewPerson> persons, CommandResult?[] results)
    {
        var all = persons.ToList();
        await using var session = store.QuerySession();
        var registered = (await session.LoadManyAsync<CellRecord>(all.Select(p => p.Arrival.Report.CellId).Distinct()))
            .Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var p in all.Where(p => !registered.Contains(p.Arrival.Report.CellId)))
            results[p.Row] = CommandResult.Rejected(Outcome.NotFound, "cellId", $"Cell {p.Arrival.Report.CellId} is not registered");
        return all.Where(p => registered.Contains(p.Arrival.Report.CellId)).ToList();
    }

    /// <summary>
    /// Each cell registers its committed persons' travellers in one call. A row whose cell could not list it keeps its
    /// person and is answered so (repeating the row completes the cell, as on the single path).
    /// </summary>
    async Task RegisterTravellers(IEnumerable<NewPerson> persons, CommandResult?[] results, DateTimeOffset now)
    {
        // A bounded number of cells at a time: thousands of cold cells at once would each wait their turn for the
        // store past a grain call's timeout; this many keep the group commit's transactions full. A cell that does
        // not answer in time is asked again (registering is idempotent: a cell that did commit answers unchanged).
        var pending = persons.GroupBy(p => p.Arrival.Report.CellId).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var late = new List<IGrouping<string, NewPerson>>();
            foreach (var batch in pending.Chunk(CellsInParallel))
            {
                var answers = await Task.WhenAll(batch.Select(async cell =>
                {
                    try
                    {
                        return await GrainFactory.GetGrain<ICellGrain>(cell.Key).Execute(
                            cell.Select(p => (CellCommand)PersonDecider.TravellerOf(p.Arrival.Report, p.Decision.ArrivalId!, now, Offset)).ToList());
                    }
                    catch (Exception e) when (e is TimeoutException or OrleansException)
                    {
                        log.LogWarning(e, "Bulk import: cell {Cell} did not answer (attempt {Attempt})", cell.Key, attempt);
                        return null;
                    }
                }));
                foreach (var (cell, answer) in batch.Zip(answers))
                {
                    if (answer is null && attempt < CellAttempts) { late.Add(cell); continue; }
                    var outcomes = answer ?? cell.Select(_ => CommandResult.Rejected(Outcome.Unavailable, "",
                        "The cell did not answer in time; nothing was recorded for this row. Retry.")).ToList();
                    foreach (var (person, result) in cell.Zip(outcomes).Where(o => !o.Second.Succeeded))
                        results[person.Row] = result.Outcome is Outcome.Unavailable or Outcome.Unknown
                            ? CommandResult.Rejected(result.Outcome, "", "The arrival is recorded for the person, but the cell could not list it yet; repeat the same row.")
                            : result with { EntityId = null };
                }
            }
            pending = late;
        }
    }

    /// <summary>
    /// The new persons' events and registers, all handed to the group commit at once; then the watches and the
    /// ledger, once. Returns the persons committed, and the rows of persons someone else recorded meanwhile (they go
    /// through their grain).
    /// </summary>
    async Task<(List<NewPerson> Committed, List<int> Conflicts)> CommitPersons(List<NewPerson> persons, CommandResult?[] results, DateTimeOffset now)
    {
        var settled = persons.Select(p =>
        {
            var (working, all) = PersonDecider.Settle(new PersonState(p.Arrival.PersonRef), p.Decision.Events, now, Offset, p.Arrival.Report.By);
            return (Person: p, Settled: (All: all, Record: PersonRecord.Of(working, Offset)));
        }).ToList();
        var outcomes = await Task.WhenAll(settled.Select(async s =>
        {
            try
            {
                await eventLog.AppendAsync(new StreamWrite(StreamKeys.Person(s.Person.Arrival.PersonRef), 0, s.Settled.All, [], [s.Settled.Record], WriteLane.Bulk));
                return (Exception?)null;
            }
            catch (Exception e) when (e is StreamConflictException or StoreUnavailableException or DuplicateRecordException
                                       or WriteRefusedException or CommitOutcomeUnknownException)
            {
                return e;
            }
        }));

        var committed = new List<NewPerson>();
        var conflicts = new List<int>();
        var alerts = new List<AlertDraft>();
        var watched = new List<PersonRecord>();
        foreach (var (s, failure) in settled.Zip(outcomes))
        {
            switch (failure)
            {
                case null:
                    committed.Add(s.Person);
                    results[s.Person.Row] = s.Person.Decision.Result;
                    alerts.AddRange(s.Settled.All.SelectMany(e => AlertRules.ForPersonEvent(e, s.Settled.Record.CellId, s.Settled.Record.County, alertOptions.Value)));
                    watched.Add(s.Settled.Record);
                    break;
                case StreamConflictException:
                    conflicts.Add(s.Person.Row);
                    break;
                case WriteRefusedException:
                    results[s.Person.Row] = CommandResult.Rejected(Outcome.Invalid, "", "The store refused this row's text; nothing was recorded.");
                    break;
                case CommitOutcomeUnknownException:
                    results[s.Person.Row] = CommandResult.Rejected(Outcome.Unknown, "", "The connection to the store was lost while this row committed.");
                    break;
                default:
                    results[s.Person.Row] = CommandResult.Rejected(Outcome.Unavailable, "", "Nothing was recorded; retry.");
                    break;
            }
        }
        if (outcomes.Count(o => o is StoreUnavailableException) is > 0 and var unavailable)
            log.LogWarning("Bulk import: {Count} persons could not be committed (store unavailable)", unavailable);
        if (alerts.Count > 0) _ = oneOfAKind.Ledger.Raise(alerts);
        foreach (var county in watched.GroupBy(r => r.County))
            _ = GrainFactory.GetGrain<IQuarantineWatchGrain>(county.Key).TrackMany(county.Select(r => r.ToEntry()).ToList());
        return (committed, conflicts);
    }
}
