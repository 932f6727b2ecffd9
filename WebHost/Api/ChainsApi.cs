using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>The answer of GET /counties/{code}/unlinked-cases.</summary>
public sealed record UnlinkedCases(string County, DateTimeOffset Now, IReadOnlyList<CaseNode> Items);

/// <summary>
/// Transmission chains, clusters and the cases without a known source (issue 16): what epidemiologists and grid workers
/// hunting hidden sources open. Identities are masked; cells and dates are shown to those who may read the county.
/// </summary>
public static class ChainsApi
{
    public static RouteGroupBuilder MapChainsApi(this RouteGroupBuilder api)
    {
        var chains = api.MapGroup("").WithTags("Chains");
        chains.MapGet("/cases/{caseId}/chain", Chain).WithName("getCaseChain")
            .WithSummary("A case, the cases upstream (infectedBy, to the first known) and downstream, and its close contacts, as nodes and edges with masked identities (county: which county's case, when its id is used in several).")
            .ProducesProblems(400, 403, 404);
        chains.MapGet("/clusters/{clusterId}", Cluster).WithName("getCaseCluster")
            .WithSummary("A cluster's cases, cells and counties, with its first and last report.").ProducesProblems(400, 403, 404);
        chains.MapGet("/counties/{code}/unlinked-cases", Unlinked).WithName("listUnlinkedCases")
            .WithSummary("The county's cases of the last 14 days with neither an infecting case nor a cluster, not ruled out: the hidden sources to find.")
            .ProducesProblems(403, 404);
        return api;
    }

    static async Task<IResult> Chain(string caseId, string? county, HttpContext http, IClusterClient grains, Province province, QueryRecords records,
        HeavyReadGate heavy, [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var (theCase, notFound) = await CaseLookup.Find(grains, province, caseId, county, http.RequestAborted);
        if (theCase is null) return notFound!.ToResult(http);
        if (asOf is null && knownAt is null)
        {
            // A chain is the case's: those who may read its cell (its grid workers, its county's officials, the province).
            if (CellTarget.Check(theCase.CellId, CellAccess.Read, Jurisdiction.Of(http.User), province) is { } refused) return refused.ToResult(http);
            return await grains.GetGrain<IHistoryGrain>(0).Chain(theCase.County, caseId, null, http.RequestAborted) is { } chain
                ? TypedResults.Ok(chain)
                : Problems.NotFound($"No case {caseId} on record.").ToResult(http);
        }
        // As it was known at a moment: a replay of every cell's cases, so the history's readers (audit rights over the county),
        // a few at a time, and recorded as an audit query.
        if (AuditAccess.Of(http).Refusal(theCase.County) is { } notAuditor) return notAuditor.ToResult(http);
        var now = clock.GetUtcNow();
        if (Moments.Refusal(asOf, knownAt, now) is { } badMoment) return badMoment.ToResult(http);
        var (read, busy) = heavy.Enter(http, HeavyRead.Replay);
        if (busy is not null) return busy.ToResult(http);
        using var _ = read;
        CaseChain? then;
        try
        {
            then = await grains.GetGrain<IHistoryGrain>(0).Chain(theCase.County, caseId, Moment.From(asOf, knownAt, now), read!.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "case-chain");
        return then is not null ? TypedResults.Ok(then) : Problems.NotFound($"No case {caseId} on record at that moment.").ToResult(http);
    }

    static async Task<IResult> Cluster(string clusterId, HttpContext http, IClusterClient grains)
    {
        if (Fields.Id(new FieldErrors(), "clusterId", clusterId) is null) return Problems.Invalid("clusterId", "Must be a cluster id.").ToResult(http);
        var access = AuditAccess.Of(http);
        if (!access.Province && access.Caller.Role != Roles.CountyOfficial)
            return Problems.Forbidden($"Role '{access.Caller.Role}' may not read clusters: officials, auditors and admins do.").ToResult(http);
        var cluster = await grains.GetGrain<IHistoryGrain>(0).Cluster(clusterId, http.RequestAborted);
        // A county official reads the clusters that reach their county (all of it: a cluster crosses county lines).
        if (cluster is null || (!access.Province && !cluster.Counties.Contains(access.Caller.County!)))
            return Problems.NotFound($"No cluster {clusterId}{(access.Province ? "" : $" reaching county {access.Caller.County}")}.").ToResult(http);
        return TypedResults.Ok(cluster);
    }

    static async Task<IResult> Unlinked(string code, HttpContext http, IClusterClient grains, Province province,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (province.Find(code) is null) return Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http);
        var access = AuditAccess.Of(http);
        if (!access.MayRead(code))
            return Problems.Forbidden($"Role '{access.Caller.Role}' may not list county {code}'s cases: its officials, province officials, auditors and admins do.").ToResult(http);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new UnlinkedCases(code, now, await grains.GetGrain<IHistoryGrain>(0).Unlinked(code, now, http.RequestAborted)));
    }
}
