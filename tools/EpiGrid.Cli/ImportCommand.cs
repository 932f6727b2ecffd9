using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary>
/// <c>epigrid import arrivals FILE</c>: sends an arrivals CSV with <c>Prefer: respond-async</c>, then follows the import
/// on the server (<c>GET /api/v1/imports/{id}</c>) with a progress bar of the server's own figures: rows read out of the
/// file's rows, imported, already there, bad. Then it shows what was imported, what was already there, and each bad row
/// with its line, field and reason. A server that answers at once (200: one without asynchronous imports) is shown the
/// same way. An import cut off (the connection, or the server) can be sent again: only what is missing is imported.
/// </summary>
public static class ImportCommand
{
    static readonly Argument<FileInfo> File = new("file") { Description = "CSV with header idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId" };
    static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var arrivals = new Command("arrivals", "Upload arrivals (UTF-8 CSV); re-uploading the same file adds nothing, so an interrupted upload can be sent again.");
        Api.AddTo(arrivals);
        arrivals.Add(File);
        arrivals.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            var file = parsed.GetValue(File)!;
            if (!file.Exists) { await Console.Error.WriteLineAsync($"No file {file.FullName}"); return 1; }
            using var client = Api.Client(parsed);
            var rows = await DataRows(file, cancellationToken);
            JsonObject? result = null;
            HttpResponseMessage? refused = null;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var sending = progress.AddTask($"Sending {file.Name}", maxValue: file.Length);
                    var importing = progress.AddTask(Figures(file, 0, 0, 0), autoStart: false, maxValue: Math.Max(rows, 1));
                    var response = await Send(client, file, sending, cancellationToken);
                    sending.Value = sending.MaxValue;
                    sending.StopTask();
                    if (response.StatusCode == HttpStatusCode.OK) // a server that answers at once
                    {
                        result = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
                        importing.Value = importing.MaxValue;
                        return;
                    }
                    if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is not { } location) { refused = response; return; }
                    response.Dispose();
                    importing.StartTask();
                    while (true)
                    {
                        using var poll = await client.GetAsync(location, cancellationToken);
                        if (poll.StatusCode != HttpStatusCode.OK) { refused = await Keep(poll, cancellationToken); return; }
                        var status = (await poll.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
                        var (read, imported, duplicates, bad) = (Int(status, "rowsRead"), Int(status, "imported"), Int(status, "duplicates"), Int(status, "errorCount"));
                        importing.MaxValue = Math.Max(importing.MaxValue, read);
                        importing.Value = read;
                        importing.Description = Figures(file, imported, duplicates, bad);
                        if (status["state"]?.GetValue<string>() != "running")
                        {
                            result = status;
                            if (status["state"]?.GetValue<string>() == "done") importing.Value = importing.MaxValue;
                            importing.StopTask();
                            return;
                        }
                        await Task.Delay(PollEvery, cancellationToken);
                    }
                });
            if (refused is not null)
                using (refused)
                    return await Api.Fail(refused, cancellationToken);
            return Show(result!);
        }));
        var command = new Command("import", "Bulk imports.");
        command.Add(arrivals);
        return command;
    }

    static async Task<HttpResponseMessage> Send(HttpClient client, FileInfo file, ProgressTask sending, CancellationToken cancellationToken)
    {
        await using var stream = file.OpenRead();
        using var content = new StreamContent(new ProgressStream(stream, n => sending.Increment(n)), 81920);
        content.Headers.ContentType = new("text/csv") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/arrivals") { Content = content };
        request.Headers.Add("Prefer", "respond-async");
        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>A refusal read whole, to print after the progress display is gone.</summary>
    static async Task<HttpResponseMessage> Keep(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var kept = new HttpResponseMessage(response.StatusCode) { ReasonPhrase = response.ReasonPhrase };
        kept.Content = new StringContent(await response.Content.ReadAsStringAsync(cancellationToken));
        return kept;
    }

    /// <summary>The final figures, as the import has always shown them; exit 0 when no row was bad, 2 otherwise, 1 when the import failed.</summary>
    static int Show(JsonObject result)
    {
        var errors = result["errors"]!.AsArray();
        var bad = result["errorCount"]?.GetValue<int>() ?? errors.Count;
        AnsiConsole.MarkupLineInterpolated($"[green]{result["imported"]}[/] imported, {result["duplicates"]} already there, [red]{bad}[/] bad rows.");
        if (errors.Count > 0)
        {
            var table = new Table().AddColumns("Line", "Field", "Reason");
            foreach (var e in errors.Take(200)) table.AddRow(e!["line"]!.ToString(), Markup.Escape(e["field"]!.ToString()), Markup.Escape(e["reason"]!.ToString()));
            AnsiConsole.Write(table);
            if (bad > 200) AnsiConsole.MarkupLineInterpolated($"... and {bad - 200} more.");
        }
        if (result["state"]?.GetValue<string>() == "failed")
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The import did not finish:[/] {result["failure"]?.GetValue<string>() ?? "no reason given"}");
            return 1;
        }
        return bad == 0 ? 0 : 2;
    }

    static string Figures(FileInfo file, int imported, int duplicates, int bad) =>
        $"Importing {Markup.Escape(file.Name)}: [green]{imported:N0}[/] imported, {duplicates:N0} already there, [red]{bad:N0}[/] bad";

    static int Int(JsonObject o, string name) => o[name]?.GetValue<int>() ?? 0;

    /// <summary>The file's lines after the header: the bar's length (a quoted field across lines makes it a little long; the server's count wins).</summary>
    static async Task<long> DataRows(FileInfo file, CancellationToken cancellationToken)
    {
        await using var stream = file.OpenRead();
        var buffer = new byte[81920];
        var (lines, last) = (0L, (byte)'\n');
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
            last = buffer[n - 1];
        }
        if (last != '\n') lines++;
        return Math.Max(0, lines - 1);
    }

    /// <summary>Reports each read, so the sending bar follows the upload.</summary>
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
