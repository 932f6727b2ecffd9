using System.Text;
using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// Bulk arrivals from a source system as CSV (the 300,000-row Hubei list is the size planned for), read as a stream:
/// good rows go in, each bad row comes back with its line, field and reason, and a second upload adds nothing.
/// </summary>
public static class ImportsApi
{
    public static readonly string[] Required = ["idNumber", "originArea", "originRisk", "arrivedAt", "mode", "source", "sourceRecordId", "cellId"];
    // A chunk is decided and committed together by the bulk path (ArrivalImportGrain): large enough to fill the group
    // commit's transactions and to give each cell several rows a call, small enough to answer well within a grain call's timeout.
    const int ChunkSize = 4000;

    public sealed record RowError(int Line, string Field, string Reason);
    /// <param name="Errors">The first <see cref="FirstRowErrors{T}.Listed"/> bad rows by line.</param>
    /// <param name="ErrorCount">Every bad row, listed or not.</param>
    public sealed record ImportResult(int Imported, int Duplicates, List<RowError> Errors, int ErrorCount);

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/imports/arrivals", Import).WithTags("Persons").WithName("importArrivals")
            .Accepts<string>("text/csv")
            .WithSummary("Upload arrivals as CSV (header idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId).")
            .Produces<ImportResult>().ProducesProblems(400, 403, 415);
        return api;
    }

    static async Task<IResult> Import(HttpContext http, IClusterClient grains, Province province, IdentityHashing identityHashing,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = Jurisdiction.Of(http.User);
        if (caller.Role is not (Roles.Ingest or Roles.Admin or Roles.CountyOfficial))
            return Problems.Forbidden("Only source systems (ingest), county officials and admins import arrivals.").ToResult(http);
        if (http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be text/csv (UTF-8).").ToResult(http);
        if (identityHashing.Protector is not { } protector) return identityHashing.NotConfigured.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        // The body limit is the configured one (Limits:MaxImportBodyBytes, set by RequestLimits), whatever the framing.
        SpooledBody? spooled = null;
        if (http.Request.ContentLength is null)
        {
            (spooled, var tooLarge) = await SpooledBody.Read(http, cancellationToken);
            if (tooLarge is not null) return tooLarge.ToResult(http);
        }
        await using var spool = spooled;

        var errors = new FirstRowErrors<RowError>(e => e.Line);
        var (imported, duplicates) = (0, 0);
        using var reader = new StreamReader(spooled?.Stream ?? http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
        Dictionary<string, int>? columns = null;
        var chunk = new List<(int Line, ValidArrival Arrival)>(ChunkSize);
        var now = clock.GetUtcNow();
        // One chunk in flight while the next is read and hashed: rows of a person stay in file order. Only the
        // (sequential) chunk imports touch the counts; both add to errors, which takes one at a time.
        var importing = Task.CompletedTask;

        async Task Import(List<(int Line, ValidArrival Arrival)> rows)
        {
            var outcomes = await grains.GetGrain<IArrivalImportGrain>(0)
                .Import(rows.Select(c => new ImportedArrival(c.Arrival.PersonRef, c.Arrival.Report with { Authority = caller.ReportReach })).ToList());
            foreach (var ((line, _), r) in rows.Zip(outcomes))
            {
                if (r.Outcome == Outcome.Unchanged) duplicates++;
                else if (r.Succeeded) imported++;
                else errors.Add(new RowError(line, string.IsNullOrEmpty(r.Field) ? "row" : r.Field!, r.Error ?? r.Outcome.ToString()));
            }
        }

        async Task Flush()
        {
            await importing;
            if (chunk.Count == 0) return;
            importing = Import(chunk);
            chunk = new List<(int Line, ValidArrival Arrival)>(ChunkSize);
        }

        await foreach (var row in CsvRows.Read(reader, cancellationToken))
        {
            if (columns is null)
            {
                columns = CsvRows.Columns(row, out var badHeader);
                if (columns is null) return Problems.Invalid("header", badHeader!).ToResult(http);
                if (Required.Where(c => !columns.ContainsKey(c)).ToList() is { Count: > 0 } missing)
                    return Problems.Invalid("header", $"Missing column(s): {string.Join(", ", missing)}. Expected: idNumber,name,phone,{string.Join(',', Required[1..])}").ToResult(http);
                continue;
            }
            if (row.Error is not null) { errors.Add(new RowError(row.Line, "row", row.Error)); continue; }
            if (row.Fields.Length != columns.Count) { errors.Add(new RowError(row.Line, "row", $"Expected {columns.Count} fields, found {row.Fields.Length}.")); continue; }
            string? Field(string name) => columns.TryGetValue(name, out var i) && row.Fields[i].Length > 0 ? row.Fields[i] : null;

            var cellId = Field("cellId")?.Trim() ?? "";
            if (!Province.IsCellId(cellId)) { errors.Add(new RowError(row.Line, "cellId", "Must be a cell id such as 330782-004-017.")); continue; }
            if (province.Find(Province.CountyOfCell(cellId)) is null) { errors.Add(new RowError(row.Line, "cellId", "Unknown county.")); continue; }
            if (!caller.May(CellAccess.Write, cellId)) { errors.Add(new RowError(row.Line, "cellId", "Outside your jurisdiction.")); continue; }
            var fieldErrors = new FieldErrors();
            var arrival = ArrivalReports.Validate(cellId, Field("idNumber"), Field("name"), Field("phone"), Field("originArea"), Field("originRisk"),
                Field("arrivedAt"), Field("mode"), Field("source"), Field("sourceRecordId"), by, now, province.Options.UtcOffset, protector, fieldErrors);
            if (arrival is null)
            {
                foreach (var (field, messages) in ((HttpValidationProblemDetails)fieldErrors.ToProblem()).Errors)
                    errors.Add(new RowError(row.Line, field == "origin.area" ? "originArea" : field == "origin.risk" ? "originRisk" : field, messages[0]));
                continue;
            }
            chunk.Add((row.Line, arrival));
            if (chunk.Count == ChunkSize) await Flush();
        }
        if (columns is null) return Problems.Invalid("header", "The file is empty: a header row is required.").ToResult(http);
        await Flush();
        await importing;
        return TypedResults.Ok(new ImportResult(imported, duplicates, errors.InLineOrder(), errors.Count));
    }
}
