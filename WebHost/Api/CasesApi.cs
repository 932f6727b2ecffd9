using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>Cases reported in a cell, and later changes of their status.</summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cells/{cellId}/cases").WithTags("Cases");
        cases.MapPost("", Report).WithName("reportCase")
            .WithSummary("Report a case; a repeat of the same caseId answers 200 with duplicate: true.").ProducesProblems(400, 403, 404, 409);
        cases.MapPost("/{caseId}/status", ChangeStatus).WithName("changeCaseStatus")
            .WithSummary("Record a change of a case's status.").ProducesProblems(400, 403, 404, 409);
        return api;
    }

    static Task<Results<Created<CaseAccepted>, Ok<CaseAccepted>, ProblemHttpResult>> Report(
        string cellId, ReportCaseRequest? body, HttpContext http, CellCommandSender sender,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        sender.Send(http, cellId, CellAccess.Write,
            (by, errors) => (body ?? new()).ToCommand(by, clock.GetUtcNow(), errors),
            (command, result) => new CaseAccepted(cellId, command.CaseId, result.Version, result.Outcome == Outcome.Unchanged));

    static Task<Results<Created<CaseAccepted>, Ok<CaseAccepted>, ProblemHttpResult>> ChangeStatus(
        string cellId, string caseId, ChangeCaseStatusRequest? body, HttpContext http, CellCommandSender sender,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        sender.Send(http, cellId, CellAccess.Write,
            (by, errors) => (body ?? new()).ToCommand(caseId, by, clock.GetUtcNow(), errors),
            (command, result) => new CaseAccepted(cellId, command.CaseId, result.Version, result.Outcome == Outcome.Unchanged));
}
