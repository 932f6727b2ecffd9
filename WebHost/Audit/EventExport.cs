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
    /// <param name="pace">How fast the rows may go (<see cref="ExportPace"/>).</param>
    /// <param name="written">Counts the events written as they go: known even when the export is cut off.</param>
    public async Task Write(Stream output, IEventExportGrain rows, ExportFormat format, bool clear, ExportPace pace,
        CancellationToken cancellationToken, StrongBox<long> written)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
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
            var ahead = pace.Ahead(written.Value, clock.Elapsed);
            if (ahead > TimeSpan.Zero) await Task.Delay(ahead, cancellationToken);
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

/// <summary>
/// How fast one export streams: no faster than <c>HeavyReads:Export:RowsPerSecond</c>, so that an auditor's export of
/// the province does not take the CPU that grid workers' reports need (the silo reads and serialises each row, the web
/// host writes it); but fast enough that an export of its snapshot's size ends within its timeout (it would otherwise
/// be cut off before its end). The pace and its default are our choice, measured in BENCHMARKS.md (heavyReads).
/// </summary>
public readonly record struct ExportPace(double RowsPerSecond)
{
    /// <summary>No bound.</summary>
    public static readonly ExportPace Unpaced = new(0);

    /// <summary>The share of the timeout a paced export may fill: the rest is for the last rows and a slow reader.</summary>
    const double TimeoutShare = 0.8;

    /// <summary>The pace for an export of <paramref name="rows"/> rows under <paramref name="policy"/>.</summary>
    public static ExportPace For(long rows, HeavyReadPolicy policy)
    {
        if (policy.RowsPerSecond <= 0) return Unpaced;
        var toEndInTime = rows / (policy.Timeout.TotalSeconds * TimeoutShare);
        return new(Math.Max(policy.RowsPerSecond, toEndInTime));
    }

    /// <summary>How far ahead of its pace an export is after <paramref name="written"/> rows in <paramref name="elapsed"/>: the time to wait.</summary>
    public TimeSpan Ahead(long written, TimeSpan elapsed) =>
        RowsPerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(written / RowsPerSecond) - elapsed;
}
