using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;

namespace EpiGrid.WebHost.Api;

/// <summary>Grid cells: registered by admins, read by those whose jurisdiction covers them.</summary>
public static class CellsApi
{
    public static string PathOf(string cellId) => $"/api/v1/cells/{cellId}";

    public static RouteGroupBuilder MapCellsApi(this RouteGroupBuilder api)
    {
        var cells = api.MapGroup("/cells").WithTags("Cells");
        cells.MapPut("/{cellId}", Register).WithSummary("Register a cell, or change its name or households (admin).");
        cells.MapGet("/{cellId}", Get).WithSummary("A cell with its cases and travellers; asOf/knownAt replay it at a past moment.");
        return api;
    }

    static Task<Results<Created<CellAccepted>, Ok<CellAccepted>, ProblemHttpResult>> Register(
        string cellId, RegisterCellRequest? body, HttpContext http, CellCommandSender sender) =>
        sender.Send(http, cellId, CellAccess.Register,
            (by, errors) => (body ?? new()).ToCommand(by, errors),
            (_, result) => new CellAccepted(cellId, result.Version, result.Outcome == Outcome.Unchanged));

    static async Task<Results<Ok<CellResponse>, ProblemHttpResult>> Get(
        string cellId, HttpContext http, IClusterClient grains, Province province,
        History history, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        if (CellTarget.Check(cellId, CellAccess.Read, Jurisdiction.Of(http.User), province) is { } refused)
            return refused.ToResult(http);
        // A replay is history: only those who may read the county's history (docs/audit.md, Access).
        if (History.Asked(asOf, knownAt) && AuditAccess.Of(http).Refusal(Province.CountyOfCell(cellId)) is { } notHistory)
            return notHistory.ToResult(http);
        var view = History.Asked(asOf, knownAt)
            ? await history.Cell(http, cellId, asOf, knownAt)
            : await grains.GetGrain<ICellGrain>(cellId).GetView();
        return view is null
            ? Problems.NotFound($"Cell {cellId} is not registered.").ToResult(http)
            : TypedResults.Ok(CellResponse.From(view));
    }
}
