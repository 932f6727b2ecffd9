using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>Who imports, and what every row is checked and hashed with.</summary>
public sealed record ArrivalImporter(
    IClusterClient Grains, Province Province, Jurisdiction Caller, Provenance By, PersonalDataProtector Protector, DateTimeOffset Now);

/// <summary>
/// One arrivals CSV read and imported: the one loop behind the synchronous answer and the asynchronous job. Rows are
/// validated as they are read; good rows go to <see cref="IArrivalImportGrain"/> <see cref="ChunkSize"/> at a time, one
/// chunk committing while the next is read and hashed (rows of a person stay in file order). After each committed chunk
/// the figures so far are handed to the caller (the job reports them to its grain).
/// </summary>
public sealed class ArrivalImport : IAsyncDisposable
{
    public static readonly string[] Required = ["idNumber", "originArea", "originRisk", "arrivedAt", "mode", "source", "sourceRecordId", "cellId"];
    // A chunk is decided and committed together by the bulk path (ArrivalImportGrain): large enough to fill the group
    // commit's transactions and to give each cell several rows a call, small enough to answer well within a grain call's timeout.
    public const int ChunkSize = 4000;

    readonly ArrivalImporter importer;
    readonly IAsyncEnumerator<CsvRows.Row> rows;
    readonly Dictionary<string, int> columns;
    readonly FirstRowErrors<ImportRowError> errors = new(e => e.Line);
    // Only the (sequential) chunk imports touch these two; the reader counts rows read.
    int imported, duplicates, rowsRead;

    ArrivalImport(ArrivalImporter importer, IAsyncEnumerator<CsvRows.Row> rows, Dictionary<string, int> columns) =>
        (this.importer, this.rows, this.columns) = (importer, rows, columns);

    /// <summary>Reads the header: the import ready to run, or the 400 naming <c>header</c> (nothing imported).</summary>
    /// <param name="cancellationToken">For the whole import: the request's, or the job's.</param>
    public static async Task<(ArrivalImport? Import, ProblemDetails? BadHeader)> Open(ArrivalImporter importer, TextReader reader, CancellationToken cancellationToken)
    {
        var rows = CsvRows.Read(reader, cancellationToken).GetAsyncEnumerator(cancellationToken);
        if (!await rows.MoveNextAsync())
            return await Refused(rows, "The file is empty: a header row is required.");
        var columns = CsvRows.Columns(rows.Current, out var badHeader);
        if (columns is null) return await Refused(rows, badHeader!);
        if (Required.Where(c => !columns.ContainsKey(c)).ToList() is { Count: > 0 } missing)
            return await Refused(rows, $"Missing column(s): {string.Join(", ", missing)}. Expected: idNumber,name,phone,{string.Join(',', Required[1..])}");
        return (new ArrivalImport(importer, rows, columns), null);
    }

    static async Task<(ArrivalImport?, ProblemDetails?)> Refused(IAsyncEnumerator<CsvRows.Row> rows, string problem)
    {
        await rows.DisposeAsync();
        return (null, Problems.Invalid("header", problem));
    }

    /// <summary>The figures so far (the first listed errors in line order), in <paramref name="state"/>.</summary>
    public ImportJobStatus Status(string state) => new(state, Volatile.Read(ref rowsRead), imported, duplicates, errors.InLineOrder(), errors.Count);

    /// <summary>Imports every row after the header; <paramref name="chunkCommitted"/> hears the figures after each chunk.</summary>
    /// <returns>The final figures, state done.</returns>
    public async Task<ImportJobStatus> Run(Func<ImportJobStatus, Task>? chunkCommitted = null)
    {
        var chunk = new List<(int Line, ValidArrival Arrival)>(ChunkSize);
        var importing = Task.CompletedTask;

        async Task Import(List<(int Line, ValidArrival Arrival)> rows)
        {
            var outcomes = await importer.Grains.GetGrain<IArrivalImportGrain>(0)
                .Import(rows.Select(c => new ImportedArrival(c.Arrival.PersonRef, c.Arrival.Report with { Authority = importer.Caller.ReportReach })).ToList());
            foreach (var ((line, _), r) in rows.Zip(outcomes))
            {
                if (r.Outcome == Outcome.Unchanged) duplicates++;
                else if (r.Succeeded) imported++;
                else errors.Add(new ImportRowError(line, string.IsNullOrEmpty(r.Field) ? "row" : r.Field!, r.Error ?? r.Outcome.ToString()));
            }
            if (chunkCommitted is not null) await chunkCommitted(Status(ImportJobStates.Running));
        }

        async Task Flush()
        {
            await importing;
            if (chunk.Count == 0) return;
            importing = Import(chunk);
            chunk = new List<(int Line, ValidArrival Arrival)>(ChunkSize);
        }

        while (await rows.MoveNextAsync())
        {
            Interlocked.Increment(ref rowsRead);
            if (Read(rows.Current) is { } arrival)
            {
                chunk.Add(arrival);
                if (chunk.Count == ChunkSize) await Flush();
            }
        }
        await Flush();
        await importing;
        return Status(ImportJobStates.Done);
    }

    /// <summary>The row's arrival, or null with its errors added.</summary>
    (int Line, ValidArrival Arrival)? Read(CsvRows.Row row)
    {
        if (row.Error is not null) return Fail(row.Line, "row", row.Error);
        if (row.Fields.Length != columns.Count) return Fail(row.Line, "row", $"Expected {columns.Count} fields, found {row.Fields.Length}.");
        string? Field(string name) => columns.TryGetValue(name, out var i) && row.Fields[i].Length > 0 ? row.Fields[i] : null;

        var (province, caller) = (importer.Province, importer.Caller);
        var cellId = Field("cellId")?.Trim() ?? "";
        if (!Province.IsCellId(cellId)) return Fail(row.Line, "cellId", "Must be a cell id such as 330782-004-017.");
        if (province.Find(Province.CountyOfCell(cellId)) is null) return Fail(row.Line, "cellId", "Unknown county.");
        if (!caller.May(CellAccess.Write, cellId)) return Fail(row.Line, "cellId", "Outside your jurisdiction.");
        var fieldErrors = new FieldErrors();
        var arrival = ArrivalReports.Validate(cellId, Field("idNumber"), Field("name"), Field("phone"), Field("originArea"), Field("originRisk"),
            Field("arrivedAt"), Field("mode"), Field("source"), Field("sourceRecordId"), importer.By, importer.Now, province.Options.UtcOffset,
            importer.Protector, fieldErrors);
        if (arrival is not null) return (row.Line, arrival);
        foreach (var (field, messages) in ((HttpValidationProblemDetails)fieldErrors.ToProblem()).Errors)
            errors.Add(new ImportRowError(row.Line, field == "origin.area" ? "originArea" : field == "origin.risk" ? "originRisk" : field, messages[0]));
        return null;
    }

    (int, ValidArrival)? Fail(int line, string field, string reason)
    {
        errors.Add(new ImportRowError(line, field, reason));
        return null;
    }

    public ValueTask DisposeAsync() => rows.DisposeAsync();
}
