using EpiGrid.WebHost.Audit;

namespace EpiGrid.WebHost.Api;

/// <summary>Exports of a jurisdiction's events (streamed), and verification of the tamper-evident chain.</summary>
public static class AuditExportApi
{
    public const string CountHeader = "X-Event-Count";

    public static RouteGroupBuilder MapAuditExportApi(this RouteGroupBuilder audit)
    {
        audit.MapGet("/export", Export).WithSummary(
            "Stream the events of a county (or the whole province) and period as NDJSON or CSV; X-Event-Count gives the total. Personal data masked unless personalData=clear (admin, with a recorded reason).");
        audit.MapGet("/verify", Verify).WithSummary(
            "Recompute the hash chain of every stream and the province digests; report the first break of each stream.");
        return audit;
    }

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Export(
        HttpContext http, AuditStore store, EventExport export, AuditTrail trail,
        string? county, DateTimeOffset? from, DateTimeOffset? to, string? time, string? format, string? personalData, string? reason)
    {
        var errors = new FieldErrors();
        var axis = AuditApi.ReadAxis(time, errors);
        ExportFormat? chosen = format?.ToLowerInvariant() switch { null or "ndjson" => ExportFormat.Ndjson, "csv" => ExportFormat.Csv, _ => null };
        if (chosen is null) errors.Add("format", "ndjson (default) or csv.");
        var query = EventQuery.Build(null, county, null, null, from, to, axis, errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        var access = AuditAccess.Of(http);
        if (access.Refusal(query.County) is { } refused) return refused.ToResult(http);
        var (clear, why, notClear) = PersonalData.Choice(access, personalData, reason);
        if (notClear is not null) return notClear.ToResult(http);

        await trail.Record(http, "export", why);
        // The count and the rows come from one snapshot: events committed while the export streams are in neither.
        var snapshot = await store.OpenSnapshot(http.RequestAborted);
        http.Response.RegisterForDisposeAsync(snapshot);
        http.Response.Headers[CountHeader] = (await store.Count(query.Where, query.Parameters, http.RequestAborted, snapshot)).ToString();
        var (contentType, extension) = chosen == ExportFormat.Csv ? ("text/csv; charset=utf-8", "csv") : ("application/x-ndjson", "ndjson");
        return TypedResults.Stream(output => export.Write(output, query, chosen!.Value, clear, http.RequestAborted, snapshot),
            contentType, $"epigrid-events-{county ?? "province"}.{extension}");
    }

    static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(HttpContext http, ChainVerifier verifier, AuditTrail trail)
    {
        if (AuditAccess.Of(http).Refusal(null) is { } refused) return refused.ToResult(http);
        await trail.Record(http, "verify");
        return TypedResults.Ok(await verifier.Verify(null, http.RequestAborted));
    }
}
