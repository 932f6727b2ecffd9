using EpiGrid.Resumption;
using EpiGrid.WebHost.Api.Requests;
using Microsoft.AspNetCore.Http.Features;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// Daily readings from the utility, in bulk: split by county and sent in chunks to each county's resumption grain,
/// which records each enterprise and day once. Always 200 with counts and per-row errors once the body is readable.
/// </summary>
public static class ResumptionReadingsApi
{
    public const long MaxBodyBytes = 32 * 1024 * 1024;
    /// <summary>Readings a county commits in one event: keeps events and messages small for a county with many enterprises.</summary>
    const int ChunkSize = 5_000;
    const int CallsInParallel = 16;

    public static RouteGroupBuilder MapReadingsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/enterprises/readings", Upload).WithTags("Resumption").WithName("uploadReadings")
            .WithSummary($"Daily readings as a JSON array [{{enterpriseId, day, kwh}}] or text/csv with those columns; at most {ReadingRows.MaxRows} rows. Idempotent per enterprise and day.")
            .Accepts<List<ReadingJson>>("application/json", "text/csv")
            .ProducesProblems(400, 403, 413, 415);
        return api;
    }

    /// <summary>For the API description only: the body is read as a stream.</summary>
    public sealed record ReadingJson(string EnterpriseId, string Day, double Kwh);

    static async Task<Results<Ok<ReadingsUploadResponse>, ProblemHttpResult>> Upload(
        HttpContext http, IClusterClient grains, Province province, [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = Jurisdiction.Of(http.User);
        if (caller.Role is not (Roles.Ingest or Roles.Admin or Roles.CountyOfficial))
            return Problems.Forbidden($"Role '{caller.Role}' may not upload readings.").ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        if (http.Request.ContentLength > MaxBodyBytes) return TooLarge().ToResult(http);
        // Lower the configured limit (Limits:MaxBulkBodyBytes, set by RequestLimits) to this endpoint's own, never raise it.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false, MaxRequestBodySize: var configured } limit)
            limit.MaxRequestBodySize = Math.Min(configured ?? MaxBodyBytes, MaxBodyBytes);

        var rows = new ReadingRows(province.LocalDay(clock.GetUtcNow()));
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        (string Field, string Reason)? unreadable;
        try
        {
            unreadable = mediaType switch
            {
                "text/csv" => await rows.ReadCsv(http.Request.Body, cancellationToken),
                "application/json" => await rows.ReadJson(http.Request.Body, cancellationToken) is { } json ? ("body", json) : null,
                _ => null,
            };
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge().ToResult(http);
        }
        if (mediaType is not ("text/csv" or "application/json"))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Send application/json or text/csv.").ToResult(http);
        if (unreadable is { } problem) return Problems.Invalid(problem.Field, problem.Reason).ToResult(http);

        var errors = new FirstRowErrors<ReadingRowError>(e => e.Line);
        errors.AddRange(rows.Errors);
        var byCounty = await SplitByCounty(grains, rows.Rows, caller, errors);
        int applied = 0, duplicates = 0;
        var log = loggers.CreateLogger(typeof(ResumptionReadingsApi));
        var chunks = byCounty.SelectMany(c => c.Value.Chunk(ChunkSize).Select(chunk => (County: c.Key, Rows: chunk)));
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = CallsInParallel }, async (chunk, _) =>
        {
            try
            {
                var result = await grains.GetGrain<IResumptionGrain>(chunk.County).Record(chunk.Rows.Select(r => r.Reading).ToList(), by);
                Interlocked.Add(ref applied, result.Applied);
                Interlocked.Add(ref duplicates, result.Duplicates);
                foreach (var r in result.Rejected) errors.Add(new(chunk.Rows[r.Index].Line, r.Field, r.Reason));
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Readings for county {County} failed", chunk.County);
                foreach (var r in chunk.Rows) errors.Add(new(r.Line, "", "Not recorded: the cluster or the event store is unavailable. Retry; repeats are harmless."));
            }
        });
        return TypedResults.Ok(new ReadingsUploadResponse(applied, duplicates, errors.InLineOrder(), errors.Count));
    }

    /// <summary>Each row under its enterprise's county; unknown enterprises and other counties' (for an official) are errors.</summary>
    static async Task<Dictionary<string, List<ReadingRow>>> SplitByCounty(
        IClusterClient grains, List<ReadingRow> rows, Jurisdiction caller, FirstRowErrors<ReadingRowError> errors)
    {
        var ids = rows.Select(r => r.Reading.EnterpriseId).Distinct().ToList();
        var counties = new Dictionary<string, string?>(StringComparer.Ordinal);
        var directory = grains.GetGrain<IEnterpriseDirectoryGrain>(0);
        foreach (var part in ids.Chunk(20_000))
            foreach (var (id, county) in part.Zip(await directory.CountiesOf(part))) counties[id] = county;

        var byCounty = new Dictionary<string, List<ReadingRow>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var county = counties[row.Reading.EnterpriseId];
            if (county is null) errors.Add(new(row.Line, "enterpriseId", "Not registered."));
            else if (!ResumptionEnterprisesApi.MayWrite(caller, county)) errors.Add(new(row.Line, "enterpriseId", $"Outside county {caller.County}."));
            else
            {
                if (!byCounty.TryGetValue(county, out var list)) byCounty[county] = list = [];
                list.Add(row);
            }
        }
        return byCounty;
    }

    static ProblemDetails TooLarge() =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, $"At most {MaxBodyBytes / 1024 / 1024} MB and {ReadingRows.MaxRows} rows an upload.");
}
