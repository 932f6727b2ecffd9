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
        HttpContext http, IGrainFactory grains, EventExport export, QueryRecords records, HeavyReadGate heavy,
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
        var rows = grains.GetGrain<IEventExportGrain>(Guid.NewGuid());
        // The snapshot is given back when the response ends, however it ends (the grain also gives it up after the timeout).
        http.Response.RegisterForDisposeAsync(new Closing(rows));
        try
        {
            // The count and the rows come from one snapshot in the silo: events committed while the export streams are in neither.
            count = await rows.Open(query.Filter, read.Timeout, read.Token);
        }
        catch (Exception e) when (read.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "export", why);
        http.Response.Headers[CountHeader] = count.ToString();
        var pace = ExportPace.For(count, heavy.Policy(HeavyRead.Export));
        var (contentType, extension) = chosen == ExportFormat.Csv ? ("text/csv; charset=utf-8", "csv") : ("application/x-ndjson", "ndjson");
        return TypedResults.Stream(async output =>
        {
            var counted = new CountingStream(output);
            var written = new StrongBox<long>();
            var complete = false;
            await using var cut = read.Token.Register(http.Abort);
            try
            {
                await export.Write(counted, rows, chosen!.Value, clear, pace, read.Token, written);
                complete = true;
            }
            finally
            {
                await records.RecordExport(http, county, clear ? why : null, written.Value, counted.Written, complete);
            }
        }, contentType, $"epigrid-events-{county ?? "province"}.{extension}");
    }

    static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(
        HttpContext http, IGrainFactory grains, QueryRecords records, HeavyReadGate heavy)
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
            verified = await grains.GetGrain<IHistoryGrain>(0).Verify(read!.Timeout, read.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "verify");
        return TypedResults.Ok(verified);
    }

    /// <summary>Closes an export's snapshot in the silo when the response is disposed.</summary>
    sealed class Closing(IEventExportGrain rows) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await rows.Close(); }
            catch (Exception) { /* the silo gives the snapshot up after its timeout anyway */ }
        }
    }
}
