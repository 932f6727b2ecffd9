using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>Cases reported in a cell, and later changes of their status.</summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cells/{cellId}/cases").WithTags("Cases");
        cases.MapPost("", Report).WithName("reportCase")
            .WithSummary("Report a case, optionally the person it is (idNumber, hashed at the edge, or personRef): their health code turns red at once. A repeat of the same caseId answers 200 with duplicate: true.")
            .ProducesProblems(400, 403, 404, 409, 503);
        cases.MapPost("/{caseId}/status", ChangeStatus).WithName("changeCaseStatus")
            .WithSummary("Record a change of a case's status.").ProducesProblems(400, 403, 404, 409);
        return api;
    }

    static async Task<Results<Created<CaseAccepted>, Ok<CaseAccepted>, ProblemHttpResult>> Report(
        string cellId, ReportCaseRequest? body, HttpContext http, CellCommandSender sender, IdentityHashing identityHashing,
        IClusterClient grains, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        // A person named by reference must be on record: a case is never linked to nobody.
        if (body?.PersonRef is { } personRef && body.IdNumber is null && PersonsApi.PersonRefPattern(personRef)
            && await grains.GetGrain<IPersonGrain>(personRef).CellOf() is null)
            return Problems.NotFound($"No person {personRef} on record.", "personRef").ToResult(http);
        return await sender.Send(http, cellId, CellAccess.Write,
            (by, errors) => (body ?? new()).ToCommand(by, clock.GetUtcNow(), errors, identityHashing.Protector),
            (command, result) => new CaseAccepted(cellId, command.CaseId, result.Version, result.Outcome == Outcome.Unchanged, command.PersonRef));
    }

    static Task<Results<Created<CaseAccepted>, Ok<CaseAccepted>, ProblemHttpResult>> ChangeStatus(
        string cellId, string caseId, ChangeCaseStatusRequest? body, HttpContext http, CellCommandSender sender,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        sender.Send(http, cellId, CellAccess.Write,
            (by, errors) => (body ?? new()).ToCommand(caseId, by, clock.GetUtcNow(), errors),
            (command, result) => new CaseAccepted(cellId, command.CaseId, result.Version, result.Outcome == Outcome.Unchanged));
}
