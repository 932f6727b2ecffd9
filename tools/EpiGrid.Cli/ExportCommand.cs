using System.CommandLine;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary><c>epigrid export</c>: streams a county's (or the province's) events to a file, with a progress bar.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var county = new Option<string?>("--county") { Description = "A 6-digit county code; default: the whole province." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Events that occurred at or after this time." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Events that occurred before this time." };
        var format = new Option<string>("--format") { Description = "ndjson or csv.", DefaultValueFactory = _ => "ndjson" };
        format.AcceptOnlyFromAmong("ndjson", "csv");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "File to write; default: epigrid-events-<county|province>.<format>." };
        var command = new Command("export", "Export events of a jurisdiction and period as NDJSON or CSV.") { county, from, to, format, output };
        Api.AddTo(command);

        command.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            using var client = Api.Client(parsed);
            var query = new List<string> { "format=" + parsed.GetValue(format) };
            if (parsed.GetValue(county) is { } c) query.Add("county=" + Uri.EscapeDataString(c));
            if (parsed.GetValue(from) is { } f) query.Add("from=" + Uri.EscapeDataString(f.ToString("O")));
            if (parsed.GetValue(to) is { } t) query.Add("to=" + Uri.EscapeDataString(t.ToString("O")));
            using var response = await client.GetAsync("/api/v1/audit/export?" + string.Join('&', query),
                HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode) return await Api.Fail(response, cancellationToken);

            var file = parsed.GetValue(output)
                ?? new FileInfo($"epigrid-events-{parsed.GetValue(county) ?? "province"}.{parsed.GetValue(format)}");
            long total = response.Headers.TryGetValues("X-Event-Count", out var values) && long.TryParse(values.First(), out var n) ? n : 0;
            var lines = await AnsiConsole.Progress().Columns(
                    new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Exporting {total:N0} events to {file.Name}", maxValue: Math.Max(total, 1));
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await using var target = file.Create();
                    var copied = await CopyCountingLines(body, target, done => task.Value = done, cancellationToken);
                    task.Value = task.MaxValue;
                    return copied;
                });
            AnsiConsole.MarkupLineInterpolated($"[green]Wrote {lines:N0} lines[/] to {file.FullName}");
            return 0;
        }));
        return command;
    }

    static async Task<long> CopyCountingLines(Stream from, Stream to, Action<long> progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long lines = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            progress(lines);
        }
        return lines;
    }
}
