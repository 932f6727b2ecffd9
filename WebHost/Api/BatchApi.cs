using System.Text.Json.Nodes;
using EpiGrid.People;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using EpiGrid.WebHost.Cluster;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

public sealed record BatchRequest
{
    /// <summary>Items of type "case", "status" or "traveller", each with "cellId" and that endpoint's fields.</summary>
    public List<JsonNode?>? Items { get; init; }
}

public sealed record BatchResponse(IReadOnlyList<BatchItemResult> Results);

/// <summary>What became of one item; <c>status</c> is the HTTP status its single endpoint would have answered.</summary>
public sealed record BatchItemResult(
    int Index,
    int Status,
    string? CellId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Duplicate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Problem = null,
    // For a traveller with an identity: the person's reference, as the single endpoint answers it.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PersonRef = null);

/// <summary>
/// Bulk reporting for systems that feed EpiGrid. Items succeed or fail one by one; valid items are sent with
/// one grain call per cell, so a cell commits its share of the batch together.
/// </summary>
public static class BatchApi
{
    public const int MaxItems = 5000;
    /// <summary>
    /// All of a batch's cells are called at once, so their writes meet in the same group commits: with 64 at a time
    /// a 1,000-item batch took ~16 waves of commit latency (measured in BENCHMARKS.md).
    /// </summary>
    const int CellsInParallel = MaxItems;

    public static RouteGroupBuilder MapBatchApi(this RouteGroupBuilder api)
    {
        api.MapPost("/reports:batch", Submit).WithTags("Batch").WithName("submitReportBatch")
            .WithSummary($"Report up to {MaxItems} cases, status changes and travellers at once; always 200 with a result per item.")
            .ProducesProblems(400, 413);
        return api;
    }

    static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> Submit(
        BatchRequest? body, HttpContext http, IClusterClient grains, Province province, IOptions<JsonOptions> json,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, ILoggerFactory loggers, IdentityHashing identityHashing)
    {
        // A batch upload is bulk work: its writes take the group commit's bulk lane, not a grid worker's single report's.
        BulkWork.Mark();
        if (body?.Items is not { Count: > 0 } items) return Problems.Invalid("items", "Required: at least one item.").ToResult(http);
        if (items.Count > MaxItems)
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, $"At most {MaxItems} items a batch; this one has {items.Count}.").ToResult(http);
        var caller = Jurisdiction.Of(http.User);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);

        var log = loggers.CreateLogger(typeof(BatchApi));
        var now = clock.GetUtcNow();
        var results = new BatchItemResult[items.Count];
        var valid = new List<BatchCommand>();
        var arrivals = new List<BatchArrival>();
        for (var i = 0; i < items.Count; i++)
        {
            var cellId = CellIdOf(items[i]);
            var (command, arrival, problem) = BatchItems.Read(items[i], i, caller, by, now, province, json.Value.SerializerOptions, identityHashing.Protector);
            if (command is not null) valid.Add(command);
            else if (arrival is not null) arrivals.Add(arrival);
            else results[i] = Failed(i, cellId, problem!);
        }
        // A case naming a person by reference needs that person on record, as the single endpoint checks.
        var named = valid.Where(c => c.Command is ReportCase { PersonRef: not null, MaskedId: null }).ToList();
        var unknown = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        await Parallel.ForEachAsync(named.Select(c => ((ReportCase)c.Command).PersonRef!).Distinct(),
            new ParallelOptions { MaxDegreeOfParallelism = PersonsInParallel },
            async (person, _) => unknown[person] = await grains.GetGrain<IPersonGrain>(person).CellOf() is null);
        foreach (var c in named.Where(c => unknown[((ReportCase)c.Command).PersonRef!]))
        {
            results[c.Index] = Failed(c.Index, c.CellId, Problems.NotFound($"No person {((ReportCase)c.Command).PersonRef} on record.", $"items[{c.Index}].personRef"));
            valid.Remove(c);
        }
        await Parallel.ForEachAsync(arrivals, new ParallelOptions { MaxDegreeOfParallelism = PersonsInParallel }, async (a, _) =>
            results[a.Index] = await ReportArrival(a, caller, by, grains, province, identityHashing, now, log));

        await Parallel.ForEachAsync(valid.GroupBy(c => c.CellId), new ParallelOptions { MaxDegreeOfParallelism = CellsInParallel },
            async (cell, _) =>
            {
                foreach (var result in await Execute(grains, cell.Key, cell.ToList(), log))
                    results[result.Index] = result;
            });
        foreach (var r in results) Observability.IngestMetrics.Ingested(r.Status, r.Duplicate == true, "batch");
        return TypedResults.Ok(new BatchResponse(results));
    }

    static async Task<IEnumerable<BatchItemResult>> Execute(
        IClusterClient grains, string cellId, List<BatchCommand> commands, ILogger log)
    {
        try
        {
            var results = await grains.GetGrain<ICellGrain>(cellId).Execute(commands.Select(c => c.Command).ToList());
            if (results.Count != commands.Count)
                throw new InvalidOperationException($"Cell {cellId} answered {results.Count} results to {commands.Count} commands.");
            return commands.Zip(results, ResultOf);
        }
        catch (Exception e)
        {
            // One cell failing must not lose the answers of the others.
            var unavailable = GrainFailures.IsUnavailable(e);
            log.Log(unavailable ? LogLevel.Warning : LogLevel.Error, e, "Batch call to cell {CellId} failed", cellId);
            var problem = unavailable
                ? Problems.Unavailable("The cluster is not reachable right now; these items may not have been recorded. Retry shortly: items with ids are safe to repeat.")
                : Problems.Status(StatusCodes.Status500InternalServerError,
                    "The cell failed while processing its items; whether they were recorded is unknown. Retrying items with ids is safe.");
            return commands.Select(c => Failed(c.Index, c.CellId, problem));
        }
    }

    /// <summary>Persons' arrivals go one grain call each (the person decides, then registers with the cell).</summary>
    const int PersonsInParallel = 64;

    static async Task<BatchItemResult> ReportArrival(BatchArrival a, Jurisdiction caller, Provenance by, IClusterClient grains,
        Province province, IdentityHashing identityHashing, DateTimeOffset now, ILogger log)
    {
        try
        {
            var outcome = await PersonArrivals.Report(a.CellId, a.Body, caller, by, grains, province, identityHashing, now, $"items[{a.Index}].");
            return outcome.Accepted is { } accepted
                ? new BatchItemResult(a.Index, outcome.Status, a.CellId, accepted.ArrivalId, null, accepted.Duplicate, PersonRef: accepted.PersonRef)
                : Failed(a.Index, a.CellId, outcome.Problem!);
        }
        catch (Exception e) when (GrainFailures.IsUnavailable(e))
        {
            log.LogWarning(e, "Batch arrival for cell {CellId} failed", a.CellId);
            return Failed(a.Index, a.CellId, Problems.Unavailable("The cluster is not reachable right now; this item may not have been recorded. Retry shortly: the same source record is safe to repeat."));
        }
    }

    static BatchItemResult ResultOf(BatchCommand command, CommandResult result) =>
        CommandOutcomes.ProblemOf(result, $"items[{command.Index}].") is { } problem
            ? Failed(command.Index, command.CellId, problem)
            : new BatchItemResult(command.Index, CommandOutcomes.StatusOf(result), command.CellId, command.Id,
                result.Version, result.Outcome == Outcome.Unchanged, PersonRef: (command.Command as ReportCase)?.PersonRef);

    static BatchItemResult Failed(int index, string? cellId, ProblemDetails problem) =>
        new(index, problem.Status ?? StatusCodes.Status400BadRequest, cellId, Problem: problem);

    static string? CellIdOf(JsonNode? item) =>
        item is JsonObject o && o.FirstOrDefault(p => string.Equals(p.Key, "cellId", StringComparison.OrdinalIgnoreCase)).Value is JsonValue v
        && v.TryGetValue<string>(out var id) ? id : null;
}
