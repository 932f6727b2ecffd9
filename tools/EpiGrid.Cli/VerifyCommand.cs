using System.CommandLine;
using System.Net.Http.Json;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary><c>epigrid verify</c>: asks the platform to recompute the event chain; exit code 2 when history was altered. With <c>--digests</c>, checks a kept digest file (<see cref="VerifyDigestsCommand"/>).</summary>
public static class VerifyCommand
{
    sealed record Break(string Stream, long Version, string Reason);
    sealed record Report(bool Ok, long CheckedEvents, int CheckedDigests, List<Break> Breaks);

    public static Command Create()
    {
        var command = new Command("verify", "Recompute every stream's hash chain and the province digests; report the first break of each stream.");
        Api.AddTo(command);
        command.Add(VerifyDigestsCommand.Digests);
        command.Add(VerifyDigestsCommand.PublicKey);
        command.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            if (parsed.GetValue(VerifyDigestsCommand.Digests) is { } digests)
                return await VerifyDigestsCommand.Run(parsed, digests, cancellationToken);
            using var client = Api.Client(parsed);
            HttpResponseMessage? response = null;
            await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync("Recomputing the chain over every event...",
                async _ => response = await client.GetAsync("/api/v1/audit/verify", cancellationToken));
            using (response)
            {
                if (!response!.IsSuccessStatusCode) return await Api.Fail(response, cancellationToken);
                var report = (await response.Content.ReadFromJsonAsync<Report>(cancellationToken))!;
                if (report.Ok)
                {
                    AnsiConsole.MarkupLineInterpolated($"[green]OK[/]: {report.CheckedEvents:N0} events and {report.CheckedDigests} digests verified.");
                    return 0;
                }
                var table = new Table().AddColumns("Stream", "Version", "Reason");
                foreach (var b in report.Breaks) table.AddRow(Markup.Escape(b.Stream), b.Version.ToString(), Markup.Escape(b.Reason));
                AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/]: {report.Breaks.Count} break(s) in {report.CheckedEvents:N0} events.");
                AnsiConsole.Write(table);
                return 2;
            }
        }));
        return command;
    }
}
