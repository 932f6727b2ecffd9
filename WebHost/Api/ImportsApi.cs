using System.Text;
using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using Microsoft.AspNetCore.Http.Features;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// Bulk arrivals from a source system as CSV (the 300,000-row Hubei list is the size planned for), read as a stream:
/// good rows go in, each bad row comes back with its line, field and reason, and a second upload adds nothing.
/// </summary>
public static class ImportsApi
{
    public static readonly string[] Required = ["idNumber", "originArea", "originRisk", "arrivedAt", "mode", "source", "sourceRecordId", "cellId"];
    // Many rows in flight let the group commit fill its transactions; the silo still serves other requests between them.
    const int ChunkSize = 4000, PersonsInParallel = 256;
    const long MaxBytes = 512L * 1024 * 1024;

    public sealed record RowError(int Line, string Field, string Reason);
    public sealed record ImportResult(int Imported, int Duplicates, List<RowError> Errors);

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/imports/arrivals", Import).WithTags("Persons")
            .Accepts<string>("text/csv")
            .WithSummary("Upload arrivals as CSV (header idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId).");
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
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBytes;

        var result = new ImportResult(0, 0, []);
        var (imported, duplicates) = (0, 0);
        using var reader = new StreamReader(http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
        Dictionary<string, int>? columns = null;
        var chunk = new List<(int Line, ValidArrival Arrival)>(ChunkSize);
        var now = clock.GetUtcNow();

        async Task Flush()
        {
            var outcomes = new (int Line, CommandResult Result)[chunk.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Count), new ParallelOptions { MaxDegreeOfParallelism = PersonsInParallel, CancellationToken = cancellationToken },
                async (i, _) => outcomes[i] = (chunk[i].Line, (await grains.GetGrain<IPersonGrain>(chunk[i].Arrival.PersonRef).ReportArrival(chunk[i].Arrival.Report)).Result));
            foreach (var (line, r) in outcomes)
            {
                if (r.Outcome == Outcome.Unchanged) duplicates++;
                else if (r.Succeeded) imported++;
                else result.Errors.Add(new RowError(line, string.IsNullOrEmpty(r.Field) ? "row" : r.Field!, r.Error ?? r.Outcome.ToString()));
            }
            chunk.Clear();
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
            if (row.Error is not null) { result.Errors.Add(new RowError(row.Line, "row", row.Error)); continue; }
            if (row.Fields.Length != columns.Count) { result.Errors.Add(new RowError(row.Line, "row", $"Expected {columns.Count} fields, found {row.Fields.Length}.")); continue; }
            string? Field(string name) => columns.TryGetValue(name, out var i) && row.Fields[i].Length > 0 ? row.Fields[i] : null;

            var cellId = Field("cellId")?.Trim() ?? "";
            if (!Province.IsCellId(cellId)) { result.Errors.Add(new RowError(row.Line, "cellId", "Must be a cell id such as 330782-004-017.")); continue; }
            if (province.Find(Province.CountyOfCell(cellId)) is null) { result.Errors.Add(new RowError(row.Line, "cellId", "Unknown county.")); continue; }
            if (!caller.May(CellAccess.Write, cellId)) { result.Errors.Add(new RowError(row.Line, "cellId", "Outside your jurisdiction.")); continue; }
            var errors = new FieldErrors();
            var arrival = ArrivalReports.Validate(cellId, Field("idNumber"), Field("name"), Field("phone"), Field("originArea"), Field("originRisk"),
                Field("arrivedAt"), Field("mode"), Field("source"), Field("sourceRecordId"), by, now, province.Options.UtcOffset, protector, errors);
            if (arrival is null)
            {
                foreach (var (field, messages) in ((HttpValidationProblemDetails)errors.ToProblem()).Errors)
                    result.Errors.Add(new RowError(row.Line, field == "origin.area" ? "originArea" : field == "origin.risk" ? "originRisk" : field, messages[0]));
                continue;
            }
            chunk.Add((row.Line, arrival));
            if (chunk.Count == ChunkSize) await Flush();
        }
        if (columns is null) return Problems.Invalid("header", "The file is empty: a header row is required.").ToResult(http);
        await Flush();
        return TypedResults.Ok(result with { Imported = imported, Duplicates = duplicates, Errors = result.Errors.OrderBy(e => e.Line).ToList() });
    }
}
