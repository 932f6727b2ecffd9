using System.Text;
using System.Text.Json.Serialization;
using EpiGrid.People;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// Bulk arrivals from a source system as CSV (the 300,000-row Hubei list is the size planned for), read as a stream:
/// good rows go in, each bad row comes back with its line, field and reason, and a second upload adds nothing.
/// <para>
/// A large file takes minutes, and a proxy's idle timeout can cut an answer that waits that long. A client that sends
/// <c>Prefer: respond-async</c> (RFC 7240) gets 202 with <c>Location: /api/v1/imports/{id}</c> and
/// <c>Preference-Applied: respond-async</c> once the whole body is received (the upload itself is traffic, not idleness)
/// and its header read; the same import then runs in the background from the spooled file, and
/// <c>GET /api/v1/imports/{id}</c> answers its figures as each chunk is committed, then the final ones. Without the
/// header nothing changes: the answer comes once every row is committed. An upload cut off (either way) and sent again
/// imports only what is missing: every row is idempotent by its source record.
/// </para>
/// </summary>
public static class ImportsApi
{
    public const string RespondAsync = "respond-async";

    /// <param name="Errors">The first <see cref="FirstRowErrors{T}.Listed"/> bad rows by line.</param>
    /// <param name="ErrorCount">Every bad row, listed or not.</param>
    public sealed record ImportResult(int Imported, int Duplicates, IReadOnlyList<ImportRowError> Errors, int ErrorCount);

    /// <summary>An asynchronous import: the figures so far while it runs, the final ones when done.</summary>
    /// <param name="State"><c>running</c>, <c>done</c> or <c>failed</c>.</param>
    /// <param name="RowsRead">Data rows read from the file so far (the header is not counted; the reader runs at most a chunk ahead of the commits).</param>
    /// <param name="Failure">Only when failed: why, and that sending the file again imports only what is missing.</param>
    public sealed record ImportProgress(
        string Id, string State, int RowsRead, int Imported, int Duplicates, IReadOnlyList<ImportRowError> Errors, int ErrorCount,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Failure = null)
    {
        public static ImportProgress Of(Guid id, ImportJobStatus s) => new(id.ToString("D"), s.State, s.RowsRead, s.Imported, s.Duplicates, s.Errors, s.ErrorCount, s.Failure);
    }

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/imports/arrivals", Import).WithTags("Persons").WithName("importArrivals")
            .Accepts<string>("text/csv")
            .WithSummary("Upload arrivals as CSV (header idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId).")
            .WithDescription("With Prefer: respond-async: 202, Location /api/v1/imports/{id} and Preference-Applied: respond-async once the body is received; poll the Location.")
            .Produces<ImportResult>().Produces<ImportProgress>(StatusCodes.Status202Accepted).ProducesProblems(400, 403, 415, 429);
        api.MapGet("/imports/{id}", Progress).WithTags("Persons").WithName("importProgress")
            .WithSummary("The progress of an import started with Prefer: respond-async: its starter's and admins' (404 to anyone else).")
            .Produces<ImportProgress>().ProducesProblems(400, 403, 404);
        return api;
    }

    /// <summary>Only those who import have imports to follow.</summary>
    static bool Imports(Jurisdiction caller) => caller.Role is Roles.Ingest or Roles.Admin or Roles.CountyOfficial;

    static async Task<IResult> Import(HttpContext http, IClusterClient grains, Province province, IdentityHashing identityHashing, ImportJobs jobs,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!Imports(caller))
            return Problems.Forbidden("Only source systems (ingest), county officials and admins import arrivals.").ToResult(http);
        if (http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be text/csv (UTF-8).").ToResult(http);
        if (identityHashing.Protector is not { } protector) return identityHashing.NotConfigured.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var importer = new ArrivalImporter(grains, province, caller, by, protector, clock.GetUtcNow());
        return Prefers(http.Request, RespondAsync)
            ? await ImportInBackground(http, importer, jobs, cancellationToken)
            : await ImportNow(http, importer, cancellationToken);
    }

    /// <summary>The answer once every row is committed, as it always was.</summary>
    static async Task<IResult> ImportNow(HttpContext http, ArrivalImporter importer, CancellationToken cancellationToken)
    {
        // The body limit is the configured one (Limits:MaxImportBodyBytes, set by RequestLimits), whatever the framing.
        SpooledBody? spooled = null;
        if (http.Request.ContentLength is null)
        {
            (spooled, var tooLarge) = await SpooledBody.Read(http, cancellationToken);
            if (tooLarge is not null) return tooLarge.ToResult(http);
        }
        await using var spool = spooled;
        using var reader = new StreamReader(spooled?.Stream ?? http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
        var (opened, badHeader) = await ArrivalImport.Open(importer, reader, cancellationToken);
        if (opened is null) return badHeader!.ToResult(http);
        await using var import = opened;
        var done = await import.Run();
        return TypedResults.Ok(new ImportResult(done.Imported, done.Duplicates, done.Errors, done.ErrorCount));
    }

    /// <summary>
    /// 202 once the body is spooled and its header read (a file refused whole is refused here, as without the header);
    /// the import runs on from the spool. A host already running its most imports answers 429 before reading the body.
    /// </summary>
    static async Task<IResult> ImportInBackground(HttpContext http, ArrivalImporter importer, ImportJobs jobs, CancellationToken cancellationToken)
    {
        if (jobs.TryReserve() is not { } job) return jobs.Busy(http).ToResult(http);
        try
        {
            var (spooled, tooLarge) = await SpooledBody.Read(http, cancellationToken);
            if (tooLarge is not null) return tooLarge.ToResult(http);
            var (import, badHeader) = await ArrivalImport.Open(importer, job.Read(spooled!), job.Token);
            if (import is null) return badHeader!.ToResult(http);
            job.Run(import);
            var id = Guid.CreateVersion7();
            var started = await jobs.Start(id, importer.Caller.Actor, job);
            job = null; // the background job owns it now
            http.Response.Headers["Preference-Applied"] = RespondAsync;
            return TypedResults.Accepted($"/api/v1/imports/{id:D}", ImportProgress.Of(id, started));
        }
        finally
        {
            if (job is not null) await job.DisposeAsync();
        }
    }

    /// <summary>Whether the request's Prefer header (RFC 7240: comma-separated preferences, each with optional parameters) names <paramref name="preference"/>.</summary>
    static bool Prefers(HttpRequest request, string preference) =>
        request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(','))
            .Any(p => p.Split(';')[0].Split('=')[0].Trim().Equals(preference, StringComparison.OrdinalIgnoreCase));

    static async Task<IResult> Progress(HttpContext http, IClusterClient grains, string id)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!Imports(caller))
            return Problems.Forbidden("Only source systems (ingest), county officials and admins import arrivals, and follow their imports.").ToResult(http);
        if (!Guid.TryParseExact(id, "D", out var key))
            return Problems.Invalid("id", "Must be an import id as the Location of its 202 gives it (a UUID such as 0195f3c2-7a1e-7d4b-9c1a-2f6e8d9b0a13).").ToResult(http);
        // Someone else's import does not exist for the caller: 404 as for an unknown id, so an id reveals nothing.
        var job = await grains.GetGrain<IImportJobGrain>(key).Get();
        if (job is null || !(caller.Role == Roles.Admin || (caller.Actor.Length > 0 && job.Owner == caller.Actor)))
            return Problems.NotFound($"No import {key:D} of yours (imports are kept for an hour after they end).").ToResult(http);
        return TypedResults.Ok(ImportProgress.Of(key, job.Status));
    }
}
