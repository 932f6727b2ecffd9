using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <param name="Place">Where the code is scanned: the checkpoint's name (a station exit, a community gate).</param>
/// <param name="County">The county of the place: a checkpoint's token names it; a source system says it here.</param>
public sealed record CodeScanRequest
{
    public string? Token { get; init; }
    public string? Place { get; init; }
    public string? County { get; init; }
}

public sealed record CodeScanAnswer(string Colour, DateTimeOffset ValidUntil, string MaskedId, DateTimeOffset CheckedAt);

/// <summary>
/// A checkpoint scans a citizen's QR (issue 16): the platform opens the token (<see cref="CodeTokens"/>: altered or expired is
/// refused), records the scan as a stay at the place, in the county of the checkpoint (so it is screened as any itinerary is),
/// and answers the code as it stands after it: colour, until when, the masked identity number. Checkpoints (role
/// <c>checkpoint</c>, whose token names its county), source systems and admins may scan.
/// </summary>
public static class CodeScansApi
{
    public const string ScanSource = "code-scan";

    public static RouteGroupBuilder MapCodeScansApi(this RouteGroupBuilder api)
    {
        api.MapPost("/codes:scan", Scan).WithTags("Persons").WithName("scanCode")
            .WithSummary("Verify a health code token (signature and expiry), record the scan as a place in the holder's itinerary, answer the colour and masked identity.")
            .Produces<CodeScanAnswer>().ProducesProblems(400, 403, 503);
        return api;
    }

    static async Task<IResult> Scan(CodeScanRequest? body, HttpContext http, IClusterClient grains, Province province, CodeTokens tokens,
        IdentityHashing identityHashing, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (caller.Role is not (Roles.Checkpoint or Roles.Ingest or Roles.Admin))
            return Problems.Forbidden($"Role '{caller.Role}' may not scan health codes: checkpoints and source systems do.").ToResult(http);
        if (caller.Role == Roles.Checkpoint && caller.County is null)
            return Problems.Forbidden("This checkpoint's token names no county (claim 'county'): a scan is recorded in the checkpoint's county.").ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        if (!tokens.Configured) return identityHashing.NotConfigured.ToResult(http);
        var errors = new FieldErrors();
        var place = Fields.Text(errors, "place", body?.Place, maxLength: 100);
        var county = caller.Role == Roles.Checkpoint ? caller.County : body?.County;
        // A checkpoint's token names its county; the place a source system or an admin reports names its own.
        if (caller.Role == Roles.Checkpoint && body?.County is { } named && named != caller.County)
            errors.Add("county", $"A checkpoint scans in its own county ({caller.County}); leave county out.");
        else if (county is null || province.Find(county) is null)
            errors.Add("county", "Required for a source system or an admin: the division code of the county of the place, e.g. 330782.");
        var (personRef, token, refusal) = tokens.Read(body?.Token);
        if (refusal is not null) errors.Add("token", refusal);
        if (errors.Any) return errors.ToProblem().ToResult(http);

        var now = clock.GetUtcNow();
        // One scan of a token at a place is one record: a second read of the same QR at the same checkpoint adds nothing.
        var record = new ReportSource(ScanSource, $"{token!.Id}@{by.Actor}:{place}");
        var stay = new Stay(county, null, now, now, place);
        var (result, code) = await grains.GetGrain<IPersonGrain>(personRef!).RecordStays(new ReportStays(by with { Source = ScanSource }, record, [stay]));
        if (result.Outcome == Outcome.NotFound) return Problems.Invalid("token", "No code is on record for this token / 无此健康码").ToResult(http);
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);
        return TypedResults.Ok(new CodeScanAnswer(code!.Colour, code.ValidUntil, code.MaskedId, now));
    }
}
