using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// The one path of every single-command endpoint: target and jurisdiction, provenance, validation, one call
/// to the cell grain, then the result as HTTP. Validation is a function of the request type, shared with the
/// batch endpoint. Endpoints take their body as nullable and read a missing body as an empty object, so the
/// answer lists the required fields rather than a binder's message.
/// </summary>
public sealed class CellCommandSender(IClusterClient grains, Province province)
{
    public delegate TCommand? Validate<TCommand>(Provenance by, FieldErrors errors) where TCommand : CellCommand;

    public async Task<Results<Created<TBody>, Ok<TBody>, ProblemHttpResult>> Send<TCommand, TBody>(
        HttpContext http, string cellId, CellAccess access, Validate<TCommand> validate, Func<TCommand, CommandResult, TBody> accepted)
        where TCommand : CellCommand
    {
        var caller = Jurisdiction.Of(http.User);
        if (CellTarget.Check(cellId, access, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);

        var errors = new FieldErrors();
        var command = validate(by, errors);
        if (command is null || errors.Any) return errors.ToProblem().ToResult(http);

        var results = await grains.GetGrain<ICellGrain>(cellId).Execute([command]);
        var result = results.Count == 1 ? results[0] : throw new InvalidOperationException($"Cell {cellId} answered {results.Count} results to 1 command.");
        Observability.IngestMetrics.Ingested(CommandOutcomes.StatusOf(result), result.Outcome == Outcome.Unchanged, "single");
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);

        var body = accepted(command, result);
        return result.Outcome == Outcome.Created
            ? TypedResults.Created(CellsApi.PathOf(cellId), body)
            : TypedResults.Ok(body);
    }
}
