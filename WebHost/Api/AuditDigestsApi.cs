using EpiGrid.WebHost.Audit;

namespace EpiGrid.WebHost.Api;

/// <summary>The signed province digests for auditors to keep, and the check of a kept file against the store.</summary>
public static class AuditDigestsApi
{
    public static RouteGroupBuilder MapAuditDigestsApi(this RouteGroupBuilder audit)
    {
        audit.MapGet("/digests", Export).WithName("exportDigests").WithSummary(
            "Every province digest with its key id, public key, ECDSA P-256 signature and signed statement, as a file to keep outside the platform (auditors and admins).")
            .ProducesProblems(403);
        audit.MapPost("/verify/digests", Check).WithName("verifyDigests").WithSummary(
            $"Whether the store's chain still folds to each digest of an exported file (at most {DigestClaims.MaxClaims} a request); breaks name the sequence (auditors and admins). Check signatures yourself (epigrid verify --digests).")
            .ProducesProblems(400, 403);
        return audit;
    }

    /// <summary>Verification is an audit act: auditors, and admins who run the platform (as <c>GET /audit/verify</c>).</summary>
    static ProblemDetails? Refusal(HttpContext http) =>
        Jurisdiction.Of(http.User).Role is Roles.Auditor or Roles.Admin
            ? null
            : Problems.Forbidden($"Role '{Jurisdiction.Of(http.User).Role}' may not export or check province digests: auditors and admins do.");

    static async Task<Results<Ok<DigestFile>, ProblemHttpResult>> Export(HttpContext http, IGrainFactory grains, QueryRecords records)
    {
        if (Refusal(http) is { } refused) return refused.ToResult(http);
        var file = await grains.GetGrain<IHistoryGrain>(0).Digests(http.RequestAborted);
        await records.Record(http, "digests");
        http.Response.Headers.ContentDisposition = "attachment; filename=epigrid-province-digests.json";
        return TypedResults.Ok(file);
    }

    static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Check(
        DigestCheckRequest? body, HttpContext http, IGrainFactory grains, QueryRecords records, HeavyReadGate heavy)
    {
        if (Refusal(http) is { } refused) return refused.ToResult(http);
        var errors = new FieldErrors();
        var claims = DigestClaims.Read(body, errors);
        if (claims is null) return errors.ToProblem().ToResult(http);
        var (read, busy) = heavy.Enter(http, HeavyRead.Verify);
        if (busy is not null) return busy.ToResult(http);
        using var _ = read;
        IReadOnlyList<ChainBreak> breaks;
        try
        {
            breaks = await grains.GetGrain<IHistoryGrain>(0).CheckDigests(claims, read!.Timeout, read.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "verify-digests");
        return TypedResults.Ok(new VerifyResponse(breaks.Count == 0, claims.Sum(c => c.Events), claims.Count, breaks));
    }
}
