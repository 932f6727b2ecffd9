using System.Runtime.CompilerServices;
using EpiGrid.WebHost.Audit;

namespace EpiGrid.WebHost.Api;

/// <summary>Exports of a jurisdiction's events (streamed), and verification of the tamper-evident chain.</summary>
public static class AuditExportApi
{
    public const string CountHeader = "X-Event-Count";

    public static RouteGroupBuilder MapAuditExportApi(this RouteGroupBuilder audit)
    {
        audit.MapGet("/export", Export).WithName("exportAuditEvents").WithSummary(
            "Stream the events of a county (or the whole province) and period as NDJSON or CSV; X-Event-Count gives the total. Personal data masked unless personalData=clear (admin, with a recorded reason; the whole province: auditor, with a case or ticket reference). Rows and bytes written are recorded when it ends.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson", additionalContentTypes: "text/csv").ProducesProblems(400, 403);
        audit.MapGet("/verify", Verify).WithName("verifyChain").WithSummary(
            "Recompute the hash chain of every stream and the province digests; report the first break of each stream (auditors and admins).")
            .ProducesProblems(403);
        return audit;
    }

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Export(
        HttpContext http, AuditStore store, EventExport export, QueryRecords records, HeavyReadGate heavy,
        string? county, DateTimeOffset? from, DateTimeOffset? to, string? time, string? format, string? personalData, string? reason)
    {
        ExportFormat? chosen = format?.ToLowerInvariant() switch { null or "ndjson" => ExportFormat.Ndjson, "csv" => ExportFormat.Csv, _ => null };
        var (query, access, refused) = AuditApi.Open(http, null, county, null, null, from, to, time, errors =>
        {
            if (chosen is null) errors.Add("format", "ndjson (default) or csv.");
        });
        if (refused is not null) return refused.ToResult(http);
        var (clear, why, notClear) = ClearExports.Choice(access, query, personalData, reason);
        if (notClear is not null) return notClear.ToResult(http);

        // The slot and the snapshot live no longer than the export's timeout, however slowly the caller reads: PostgreSQL
        // stops its statements then, and this host cuts the connection (a slow reader blocks the writes, not the clock).
        var (read, busy) = heavy.Enter(http, HeavyRead.Export);
        if (busy is not null) return busy.ToResult(http);
        http.Response.RegisterForDispose(read!);
        long count;
        AuditStore.Snapshot snapshot;
        try
        {
            // The count and the rows come from one snapshot: events committed while the export streams are in neither.
            snapshot = await store.OpenSnapshot(read.Token, read.Timeout);
            http.Response.RegisterForDisposeAsync(snapshot);
            count = await store.Count(query.Where, query.Parameters, read.Token, snapshot);
        }
        catch (Exception e) when (read.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "export", why);
        http.Response.Headers[CountHeader] = count.ToString();
        var (contentType, extension) = chosen == ExportFormat.Csv ? ("text/csv; charset=utf-8", "csv") : ("application/x-ndjson", "ndjson");
        return TypedResults.Stream(async output =>
        {
            var counted = new CountingStream(output);
            var rows = new StrongBox<long>();
            var complete = false;
            await using var cut = read.Token.Register(http.Abort);
            try
            {
                await export.Write(counted, query, chosen!.Value, clear, read.Token, snapshot, rows);
                complete = true;
            }
            finally
            {
                await records.RecordExport(http, county, clear ? why : null, rows.Value, counted.Written, complete);
            }
        }, contentType, $"epigrid-events-{county ?? "province"}.{extension}");
    }

    static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(
        HttpContext http, [FromKeyedServices(HeavyRead.Verify)] ChainVerifier verifier, QueryRecords records, HeavyReadGate heavy)
    {
        var caller = Jurisdiction.Of(http.User);
        // Verification is an audit act and reads every event: auditors (and admins, who run the platform), not officials.
        if (caller.Role is not (Roles.Auditor or Roles.Admin))
            return Problems.Forbidden($"Role '{caller.Role}' may not verify the chain: auditors and admins do.").ToResult(http);
        var (read, busy) = heavy.Enter(http, HeavyRead.Verify);
        if (busy is not null) return busy.ToResult(http);
        using var _ = read;
        VerifyResponse verified;
        try
        {
            verified = await verifier.Verify(null, read!.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "verify");
        return TypedResults.Ok(verified);
    }
}
