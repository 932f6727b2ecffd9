using System.Runtime.CompilerServices;
using System.Text;

namespace EpiGrid.WebHost.Audit;

public enum ExportFormat { Ndjson, Csv }

/// <summary>
/// Writes the events of a query to a stream as they are read, one row at a time, in sequence order: the whole
/// province passes through without being held in memory. NDJSON lines carry the stored event unchanged (save for
/// masked personal fields); CSV flattens who and when into columns and keeps the event as a JSON column.
/// </summary>
public sealed class EventExport
{
    /// <summary>Rows asked of the silo at a time: each answer is one grain call, a few hundred kilobytes.</summary>
    public const int RowsPerCall = 1000;
    static readonly string[] CsvHeader = ["seq", "stream", "version", "kind", "occurredAt", "recordedAt", "actor", "source", "storedAt", "data"];

    /// <param name="rows">The export's snapshot in the silo, opened (<see cref="IEventExportGrain.Open"/>).</param>
    /// <param name="written">Counts the events written as they go: known even when the export is cut off.</param>
    public async Task Write(Stream output, IEventExportGrain rows, ExportFormat format, bool clear, CancellationToken cancellationToken,
        StrongBox<long> written)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        if (format == ExportFormat.Csv) await writer.WriteLineAsync(CsvCells.Line(CsvHeader));
        for (var page = await rows.Next(RowsPerCall, cancellationToken); page.Count > 0; page = await rows.Next(RowsPerCall, cancellationToken))
        {
            foreach (var row in page)
            {
                var data = clear ? row.Data : PersonalData.Masked(row);
                await writer.WriteLineAsync(format == ExportFormat.Csv ? CsvLine(row, data) : NdjsonLine(row, data));
                written.Value++;
            }
            await writer.FlushAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    static string NdjsonLine(StoredRow row, string data) =>
        $"{{\"seq\":{row.Seq},\"stream\":{JsonSerializer.Serialize(row.Stream)},\"version\":{row.Version},"
        + $"\"kind\":{JsonSerializer.Serialize(row.Kind)},\"storedAt\":{JsonSerializer.Serialize(row.StoredAt)},\"data\":{data}}}";

    static string CsvLine(StoredRow row, string data)
    {
        using var json = JsonDocument.Parse(data);
        var meta = json.RootElement.TryGetProperty("meta", out var m) ? m : default;
        string Meta(string name) => meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(name, out var v) ? v.ToString() : "";
        return CsvCells.Line(
        [
            row.Seq.ToString(), row.Stream, row.Version.ToString(), row.Kind, Meta("occurredAt"), Meta("recordedAt"),
            Meta("actor"), Meta("source"), row.StoredAt.ToString("O"), data,
        ]);
    }
}
