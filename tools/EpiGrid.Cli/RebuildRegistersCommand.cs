using System.CommandLine;
using System.Net.Http.Json;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary>
/// <c>epigrid rebuild-registers</c>: asks the platform (an admin's token) to rebuild the registers from the events and
/// shows, per register, its rows before and after and how many the rebuild wrote or deleted. Exit code 0 either way:
/// rows that differed are repaired, not an error; the log says which registers needed it.
/// </summary>
public static class RebuildRegistersCommand
{
    sealed record Summary(string Register, int RowsBefore, int RowsAfter, int RowsDiffered);
    sealed record Report(List<Summary> Registers, TimeSpan Took);

    public static Command Create()
    {
        var command = new Command("rebuild-registers", "Rebuild the registers (cells, cases, persons, alerts) from the events; report rows before, after and differing.");
        Api.AddTo(command);
        command.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            using var client = Api.Client(parsed);
            HttpResponseMessage? response = null;
            await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync("Rebuilding the registers from every stream...",
                async _ => response = await client.PostAsync("/api/v1/admin/registers:rebuild", null, cancellationToken));
            using (response)
            {
                if (!response!.IsSuccessStatusCode) return await Api.Fail(response, cancellationToken);
                var report = (await response.Content.ReadFromJsonAsync<Report>(cancellationToken))!;
                var table = new Table().AddColumns("Register", "Rows before", "Rows after", "Rows that differed");
                foreach (var s in report.Registers)
                    table.AddRow(Markup.Escape(s.Register), s.RowsBefore.ToString("N0"), s.RowsAfter.ToString("N0"), s.RowsDiffered.ToString("N0"));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLineInterpolated($"Rebuilt in {report.Took.TotalSeconds:N1} s.");
                return 0;
            }
        }));
        return command;
    }
}
