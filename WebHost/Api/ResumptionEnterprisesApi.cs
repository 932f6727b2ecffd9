using EpiGrid.Resumption;
using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>Enterprises whose electricity use makes the resumption index: written by ingest, admins and their county's officials.</summary>
public static class ResumptionEnterprisesApi
{
    public static RouteGroupBuilder MapEnterprisesApi(this RouteGroupBuilder api)
    {
        var enterprises = api.MapGroup("/enterprises").WithTags("Resumption");
        enterprises.MapPut("/{id}", Register).WithSummary("Register an enterprise under a county with its baseline daily use, or change its details.");
        enterprises.MapGet("/{id}", Get).WithSummary("An enterprise as registered.");
        return api;
    }

    static async Task<Results<Created<EnterpriseAccepted>, Ok<EnterpriseAccepted>, ProblemHttpResult>> Register(
        string id, EnterpriseRequest? body, HttpContext http, IClusterClient grains, Province province)
    {
        var caller = Jurisdiction.Of(http.User);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var errors = new FieldErrors();
        var enterprise = (body ?? new()).ToEnterprise(id, province, errors);
        if (enterprise is null) return errors.ToProblem().ToResult(http);
        if (!MayWrite(caller, enterprise.County))
            return Problems.Forbidden($"Role '{caller.Role}' may not register enterprises of county {enterprise.County}.").ToResult(http);

        var directory = grains.GetGrain<IEnterpriseDirectoryGrain>(0);
        var registeredIn = (await directory.CountiesOf([id]))[0];
        if (registeredIn is not null && registeredIn != enterprise.County)
            return Problems.Status(StatusCodes.Status409Conflict, $"Enterprise {id} is registered under county {registeredIn}.").ToResult(http);

        var result = (await grains.GetGrain<IResumptionGrain>(enterprise.County).Register([enterprise], by))[0];
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);
        await directory.Learn([enterprise]);
        var accepted = new EnterpriseAccepted(id, enterprise.County, result.Version, result.Outcome == Outcome.Unchanged);
        return result.Outcome == Outcome.Created ? TypedResults.Created($"/api/v1/enterprises/{id}", accepted) : TypedResults.Ok(accepted);
    }

    static async Task<Results<Ok<EnterpriseResponse>, ProblemHttpResult>> Get(string id, HttpContext http, IClusterClient grains)
    {
        var caller = Jurisdiction.Of(http.User);
        var county = (await grains.GetGrain<IEnterpriseDirectoryGrain>(0).CountiesOf([id]))[0];
        var enterprise = county is null ? null : await grains.GetGrain<IResumptionGrain>(county).GetEnterprise(id);
        if (enterprise is null) return Problems.NotFound($"Enterprise {id} is not registered.").ToResult(http);
        var mayRead = caller.Role is Roles.ProvinceOfficial or Roles.Auditor || MayWrite(caller, enterprise.County);
        return mayRead ? TypedResults.Ok(EnterpriseResponse.From(enterprise))
            : Problems.Forbidden($"Enterprise {id} is outside this caller's jurisdiction.").ToResult(http);
    }

    /// <summary>Ingest and admins anywhere; a county official in their own county.</summary>
    public static bool MayWrite(Jurisdiction caller, string county) =>
        caller.Role is Roles.Ingest or Roles.Admin || (caller.Role == Roles.CountyOfficial && caller.County == county);
}
