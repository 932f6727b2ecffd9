using EpiGrid.Resumption;
using EpiGrid.WebHost.Api.Requests;
using Microsoft.Extensions.Options;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>Enterprises whose electricity use makes the resumption index: written by ingest, admins and their county's officials.</summary>
public static class ResumptionEnterprisesApi
{
    public static RouteGroupBuilder MapEnterprisesApi(this RouteGroupBuilder api)
    {
        var enterprises = api.MapGroup("/enterprises").WithTags("Resumption");
        enterprises.MapPut("/{id}", Register).WithName("registerEnterprise")
            .WithSummary("Register an enterprise under a county with its baseline daily use, or change its details.").ProducesProblems(400, 403, 409);
        enterprises.MapGet("/{id}", Get).WithName("getEnterprise").WithSummary("An enterprise as registered.").ProducesProblems(403, 404);
        enterprises.MapPost("/{id}/staff", ReportStaff).WithName("reportEnterpriseStaff")
            .WithSummary("Staff back at work on a day, as the enterprise reports it (not part of the index; shown next to it).").ProducesProblems(400, 403, 404);
        enterprises.MapPost("", RegisterMany).WithName("registerEnterprises")
            .WithSummary($"Register up to {MaxItems} enterprises at once: a JSON array of the PUT body with \"id\"; errors per item.").ProducesProblems(400, 413);
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
        if (!MayCreate(caller) && registeredIn != enterprise.County)
            return Problems.Forbidden(NotTheCountys(id, enterprise.County)).ToResult(http);
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

    static async Task<Results<Ok<StaffAccepted>, ProblemHttpResult>> ReportStaff(
        string id, EnterpriseStaffRequest? body, HttpContext http, IClusterClient grains, Province province,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var errors = new FieldErrors();
        var report = (body ?? new()).ToReport(id, province.LocalDay(clock.GetUtcNow()), errors);
        if (report is null) return errors.ToProblem().ToResult(http);
        var county = (await grains.GetGrain<IEnterpriseDirectoryGrain>(0).CountiesOf([id]))[0];
        if (county is null) return Problems.NotFound($"Enterprise {id} is not registered.").ToResult(http);
        if (!MayWrite(caller, county)) return Problems.Forbidden($"Role '{caller.Role}' may not report for enterprises of county {county}.").ToResult(http);

        var result = await grains.GetGrain<IResumptionGrain>(county).ReportStaff([report], by);
        if (result.Rejected.Count > 0) return Problems.Unavailable(result.Rejected[0].Reason).ToResult(http);
        return TypedResults.Ok(new StaffAccepted(id, report.Day.ToString("yyyy-MM-dd"), result.Duplicates > 0));
    }

    public const int MaxItems = 100_000;
    const int ChunkSize = 5_000;

    static async Task<Results<Ok<EnterprisesRegistered>, ProblemHttpResult>> RegisterMany(
        List<System.Text.Json.Nodes.JsonNode?>? body, HttpContext http, IClusterClient grains, Province province,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var caller = Jurisdiction.Of(http.User);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        if (body is not { Count: > 0 }) return Problems.Invalid("body", "Required: a JSON array of enterprises.").ToResult(http);
        if (body.Count > MaxItems) return Problems.Status(StatusCodes.Status413PayloadTooLarge, $"At most {MaxItems} enterprises at once.").ToResult(http);

        var errors = new List<ReadingRowError>();
        var valid = new List<(int Line, Enterprise Enterprise)>();
        for (var i = 0; i < body.Count; i++)
        {
            var itemErrors = new FieldErrors();
            if (body[i] is not System.Text.Json.Nodes.JsonObject item)
            {
                errors.Add(new(i + 1, "body", "Must be a JSON object."));
                continue;
            }
            var id = TakeId(item);
            var enterprise = JsonBody.Read<EnterpriseRequest>(item, json.Value.SerializerOptions, itemErrors)?.ToEnterprise(id, province, itemErrors);
            if (enterprise is null) errors.AddRange(ErrorsOf(i + 1, itemErrors));
            else if (!MayWrite(caller, enterprise.County)) errors.Add(new(i + 1, "county", $"Role '{caller.Role}' may not register enterprises of county {enterprise.County}."));
            else valid.Add((i + 1, enterprise));
        }

        var directory = grains.GetGrain<IEnterpriseDirectoryGrain>(0);
        var known = await directory.CountiesOf(valid.Select(v => v.Enterprise.Id).ToList());
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<Outcome, int>();
        var accepted = new System.Collections.Concurrent.ConcurrentBag<Enterprise>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<ReadingRowError>();
        var sendable = valid.Where((v, i) => known[i] == v.Enterprise.County
            || (MayCreate(caller) ? known[i] is null || Fail(errors, v.Line, "county", $"Registered under county {known[i]}.")
                : Fail(errors, v.Line, "county", NotTheCountys(v.Enterprise.Id, v.Enterprise.County)))).ToList();
        await Parallel.ForEachAsync(sendable.GroupBy(v => v.Enterprise.County).SelectMany(g => g.Chunk(ChunkSize)),
            new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, _) =>
            {
                var results = await grains.GetGrain<IResumptionGrain>(chunk[0].Enterprise.County).Register(chunk.Select(c => c.Enterprise).ToList(), by);
                foreach (var (item, result) in chunk.Zip(results))
                {
                    if (result.Succeeded) { counted.AddOrUpdate(result.Outcome, 1, (_, n) => n + 1); accepted.Add(item.Enterprise); }
                    else failed.Add(new(item.Line, result.Field ?? "", result.Error ?? result.Outcome.ToString()));
                }
            });
        await directory.Learn(accepted.ToList());
        return TypedResults.Ok(new EnterprisesRegistered(counted.GetValueOrDefault(Outcome.Created), counted.GetValueOrDefault(Outcome.Updated),
            counted.GetValueOrDefault(Outcome.Unchanged), errors.Concat(failed).OrderBy(e => e.Line).ToList()));
    }

    static bool Fail(List<ReadingRowError> errors, int line, string field, string reason)
    {
        errors.Add(new(line, field, reason));
        return false;
    }

    /// <summary>The item's "id" (removed, so the rest reads as the PUT body); "" when missing or not a string.</summary>
    static string TakeId(System.Text.Json.Nodes.JsonObject item)
    {
        var key = item.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, "id", StringComparison.OrdinalIgnoreCase));
        if (key is null) return "";
        var value = item[key];
        item.Remove(key);
        return value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var id) ? id : "";
    }

    static IEnumerable<ReadingRowError> ErrorsOf(int line, FieldErrors errors) =>
        errors.ToProblem() is HttpValidationProblemDetails v ? v.Errors.Select(e => new ReadingRowError(line, e.Key, string.Join(" ", e.Value))) : [];

    /// <summary>
    /// Who may put a new enterprise id on the register: its sources (ingest) and admins. Issue 14: a county official
    /// could register another county's enterprise id under their own county first, so its readings counted in their
    /// index and its own county got 409. Our choice: a county official maintains the enterprises registered under
    /// their county (details, staff, readings) and creates none; for them an unknown id and another county's get the
    /// same refusal (<see cref="NotTheCountys"/>), so it tells nothing about the register.
    /// </summary>
    public static bool MayCreate(Jurisdiction caller) => caller.Role is Roles.Ingest or Roles.Admin;

    static string NotTheCountys(string id, string county) =>
        $"Enterprise {id} is not registered under county {county}; new enterprises are registered by their source register (ingest) or an admin.";

    /// <summary>Ingest and admins anywhere; a county official in their own county.</summary>
    public static bool MayWrite(Jurisdiction caller, string county) =>
        caller.Role is Roles.Ingest or Roles.Admin || (caller.Role == Roles.CountyOfficial && caller.County == county);
}
