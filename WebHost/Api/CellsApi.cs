using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>Grid cells: registered by admins, read by those whose jurisdiction covers them.</summary>
public static class CellsApi
{
    public static string PathOf(string cellId) => $"/api/v1/cells/{cellId}";

    public static RouteGroupBuilder MapCellsApi(this RouteGroupBuilder api)
    {
        var cells = api.MapGroup("/cells").WithTags("Cells");
        cells.MapPut("/{cellId}", Register).WithName("registerCell")
            .WithSummary("Register a cell, or change its name or households (admin).").ProducesProblems(400, 403, 404);
        cells.MapGet("/{cellId}", Get).WithName("getCell")
            .WithSummary("A cell with its cases and travellers; asOf/knownAt replay it at a past moment.").ProducesProblems(400, 403, 404);
        cells.MapPut("/{cellId}/control", Control).WithName("controlCell")
            .WithSummary("Put a cell under control (closed or controlled), with a reason and optionally until when, or lift it (open): the county's officials. "
                + "Its workers and the county's officials are alerted; the same level, reason and until again answer duplicate: true and record nothing.")
            .ProducesProblems(400, 403, 404, 503);
        cells.MapGet("/{cellId}/check-ins-due", CheckInsDue).WithName("listCheckInsDue")
            .WithSummary("The persons staying in a cell who still owe today's quarantine check-in (masked identities only).").ProducesProblems(400, 403, 404);
        return api;
    }

    public sealed record DuePerson(string PersonRef, string MaskedId, string Colour, DateOnly CoveredThrough, int DaysMissed);
    public sealed record CheckInsDueResponse(string CellId, DateOnly Day, IReadOnlyList<DuePerson> Persons);

    static async Task<Results<Ok<CheckInsDueResponse>, ProblemHttpResult>> CheckInsDue(
        string cellId, HttpContext http, IClusterClient grains, Province province)
    {
        if (CellTarget.Check(cellId, CellAccess.Read, Jurisdiction.Of(http.User), province) is { } refused)
            return refused.ToResult(http);
        var due = await grains.GetGrain<IQuarantineWatchGrain>(Province.CountyOfCell(cellId)).DueIn(cellId);
        return TypedResults.Ok(new CheckInsDueResponse(cellId, due.Today, due.Persons
            .Select(p => new DuePerson(p.PersonRef, p.MaskedId, p.Colour, p.CoveredThrough, Math.Max(0, due.Today.DayNumber - p.CoveredThrough.DayNumber - 1)))
            .ToList()));
    }

    static Task<Results<Created<CellAccepted>, Ok<CellAccepted>, ProblemHttpResult>> Register(
        string cellId, RegisterCellRequest? body, HttpContext http, CellCommandSender sender) =>
        sender.Send(http, cellId, CellAccess.Register,
            (by, errors) => (body ?? new()).ToCommand(by, errors),
            (_, result) => new CellAccepted(cellId, result.Version, result.Outcome == Outcome.Unchanged));

    static Task<Results<Created<ControlAccepted>, Ok<ControlAccepted>, ProblemHttpResult>> Control(
        string cellId, ControlCellRequest? body, HttpContext http, CellCommandSender sender, [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        sender.Send(http, cellId, CellAccess.Control,
            (by, errors) => (body ?? new()).ToCommand(by, clock.GetUtcNow(), errors),
            (command, result) => new ControlAccepted(cellId, command.Level.Name(), command.Reason, command.Until, result.Version, result.Outcome == Outcome.Unchanged));

    static async Task<Results<Ok<CellResponse>, ProblemHttpResult>> Get(
        string cellId, HttpContext http, IClusterClient grains, Province province,
        History history, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        if (CellTarget.Check(cellId, CellAccess.Read, Jurisdiction.Of(http.User), province) is { } refused)
            return refused.ToResult(http);
        var (view, notRead) = await history.Read(http, Province.CountyOfCell(cellId), "cell", asOf, knownAt,
            () => grains.GetGrain<ICellGrain>(cellId).GetView(), (replay, moment, ct) => replay.Cell(cellId, moment, ct));
        if (notRead is not null) return notRead.ToResult(http);
        return view is null
            ? Problems.NotFound($"Cell {cellId} is not registered.").ToResult(http)
            : TypedResults.Ok(CellResponse.From(view));
    }
}
