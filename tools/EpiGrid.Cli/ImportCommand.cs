using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary>
/// <c>epigrid import arrivals FILE</c>: streams an arrivals CSV to the platform with a progress bar (bytes sent), then
/// shows what was imported, what was already there, and each bad row with its line, field and reason.
/// </summary>
public static class ImportCommand
{
    static readonly Argument<FileInfo> File = new("file") { Description = "CSV with header idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId" };

    public static Command Create()
    {
        var arrivals = new Command("arrivals", "Upload arrivals (UTF-8 CSV); re-uploading the same file adds nothing.");
        Api.AddTo(arrivals);
        arrivals.Add(File);
        arrivals.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            var file = parsed.GetValue(File)!;
            if (!file.Exists) { await Console.Error.WriteLineAsync($"No file {file.FullName}"); return 1; }
            using var client = Api.Client(parsed);
            HttpResponseMessage? response = null;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Uploading {file.Name}", maxValue: file.Length);
                    await using var stream = file.OpenRead();
                    using var content = new StreamContent(new ProgressStream(stream, n => task.Increment(n)), 81920);
                    content.Headers.ContentType = new("text/csv") { CharSet = "utf-8" };
                    response = await client.PostAsync("/api/v1/imports/arrivals", content, cancellationToken);
                    task.Value = task.MaxValue;
                });
            using (response)
            {
                if (response!.StatusCode != HttpStatusCode.OK) return await Api.Fail(response, cancellationToken);
                var result = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
                var errors = result["errors"]!.AsArray();
                AnsiConsole.MarkupLineInterpolated($"[green]{result["imported"]}[/] imported, {result["duplicates"]} already there, [red]{errors.Count}[/] bad rows.");
                if (errors.Count > 0)
                {
                    var table = new Table().AddColumns("Line", "Field", "Reason");
                    foreach (var e in errors.Take(200)) table.AddRow(e!["line"]!.ToString(), Markup.Escape(e["field"]!.ToString()), Markup.Escape(e["reason"]!.ToString()));
                    AnsiConsole.Write(table);
                    if (errors.Count > 200) AnsiConsole.MarkupLineInterpolated($"... and {errors.Count - 200} more.");
                }
                return errors.Count == 0 ? 0 : 2;
            }
        }));
        var command = new Command("import", "Bulk imports.");
        command.Add(arrivals);
        return command;
    }

    /// <summary>Reports each read, so the bar follows the upload.</summary>
    sealed class ProgressStream(Stream inner, Action<long> read) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { var n = inner.Read(buffer, offset, count); read(n); return n; }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            read(n);
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
