using System.Globalization;
using System.Text;
using EpiGrid.Resumption;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>A reading row's problem. Lines: in CSV the file's line (the header is line 1); in JSON the item's position from 1.</summary>
public sealed record ReadingRowError(int Line, string Field, string Reason);

/// <summary>A valid row and where it came from.</summary>
public readonly record struct ReadingRow(int Line, ElectricityReading Reading);

/// <summary>
/// Reads daily readings, [{"enterpriseId","day","kwh"}] or CSV with those columns, from a streamed body. Each row
/// is checked on its own; a bad row is reported with its line and the others go on.
/// </summary>
public sealed class ReadingRows(DateOnly today)
{
    public const int MaxRows = 200_000;
    public const double MaxKwh = EnterpriseRequest.MaxKwhPerDay * 10;
    static readonly DateOnly Earliest = DateOnly.FromDateTime(Fields.Earliest.UtcDateTime);

    public List<ReadingRow> Rows { get; } = [];
    public List<ReadingRowError> Errors { get; } = [];

    /// <summary>Null when the body as a whole is readable; otherwise the field (body, header) and why not.</summary>
    /// <remarks>
    /// The arrivals import's reader (<see cref="CsvRows"/>): quoted fields, and a broken, foreign-encoded or enormous
    /// row costs that row an error with field "line", never the upload.
    /// </remarks>
    public async Task<(string Field, string Reason)?> ReadCsv(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: false));
        int id = -1, day = -1, kwh = -1, width = 0, read = 0;
        await foreach (var row in CsvRows.Read(reader, cancellationToken))
        {
            if (width == 0)
            {
                var columns = CsvRows.Columns(row, out var badHeader);
                if (columns is null) return ("header", badHeader!);
                int Column(string name) => columns.FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase), new("", -1)).Value;
                (id, day, kwh, width) = (Column("enterpriseId"), Column("day"), Column("kwh"), row.Fields.Length);
                if (id < 0 || day < 0 || kwh < 0) return ("header", HeaderRequired);
                continue;
            }
            if (row.Fields is [var only] && string.IsNullOrWhiteSpace(only)) continue;
            if (++read > MaxRows) return ("body", $"At most {MaxRows} rows an upload.");
            if (row.Error is not null) Errors.Add(new(row.Line, "line", row.Error));
            else if (row.Fields.Length != width) Errors.Add(new(row.Line, "line", $"Expected {width} fields, found {row.Fields.Length}."));
            else Add(row.Line, row.Fields[id].Trim(), row.Fields[day].Trim(), row.Fields[kwh].Trim(), kwhIsNumber: true);
        }
        return width == 0 ? ("header", HeaderRequired) : null;
    }

    const string HeaderRequired = "The first line must be a header naming the columns enterpriseId, day and kwh.";

    public async Task<string?> ReadJson(Stream body, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try { document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth }, cancellationToken); }
        catch (JsonException e) { return $"Malformed JSON: {JsonBody.Describe(e).Message}"; }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Array) return "Must be a JSON array of {\"enterpriseId\",\"day\",\"kwh\"}.";
        if (document.RootElement.GetArrayLength() > MaxRows) return $"At most {MaxRows} rows an upload.";
        var line = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            line++;
            if (item.ValueKind != JsonValueKind.Object) { Errors.Add(new(line, "body", "Must be a JSON object.")); continue; }
            string? id = null, day = null, kwh = null;
            var kwhIsNumber = false;
            var unknown = false;
            foreach (var p in item.EnumerateObject())
            {
                if (Is(p, "enterpriseId")) id = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : "\0";
                else if (Is(p, "day")) day = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : "\0";
                else if (Is(p, "kwh")) (kwh, kwhIsNumber) = (p.Value.GetRawText(), p.Value.ValueKind == JsonValueKind.Number);
                else { Errors.Add(new(line, p.Name, "Unknown field.")); unknown = true; }
            }
            if (!unknown) Add(line, id, day, kwh, kwhIsNumber);
        }
        return null;
    }

    void Add(int line, string? id, string? day, string? kwh, bool kwhIsNumber)
    {
        var before = Errors.Count;
        if (string.IsNullOrEmpty(id)) Errors.Add(new(line, "enterpriseId", "Required."));
        else if (Fields.Id(new FieldErrors(), "enterpriseId", id) is null)
            Errors.Add(new(line, "enterpriseId", $"Must be 1-{Fields.MaxIdLength} characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'."));
        DateOnly on = default;
        if (string.IsNullOrEmpty(day)) Errors.Add(new(line, "day", "Required: a local day, YYYY-MM-DD."));
        else if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out on))
            Errors.Add(new(line, "day", "Must be a local day, YYYY-MM-DD."));
        else if (on < Earliest || on > today) Errors.Add(new(line, "day", $"Must be between {Earliest:yyyy-MM-dd} and today ({today:yyyy-MM-dd})."));
        double value = 0;
        if (string.IsNullOrEmpty(kwh)) Errors.Add(new(line, "kwh", "Required: the day's use in kWh."));
        else if (!kwhIsNumber || !double.TryParse(kwh, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            Errors.Add(new(line, "kwh", "Must be a number."));
        else if (!double.IsFinite(value) || value < 0 || value > MaxKwh) Errors.Add(new(line, "kwh", $"Must be between 0 and {MaxKwh:0}."));
        if (Errors.Count == before) Rows.Add(new ReadingRow(line, new ElectricityReading(id!, on, value)));
    }

    static bool Is(JsonProperty p, string name) => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase);
}
