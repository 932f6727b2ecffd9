using System.CommandLine;
using EpiGrid.Client;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary>
/// <c>epigrid watch</c>: a grid worker's or operator's live alert stream in the terminal. Catches up on what it
/// missed, reconnects by itself, and can resume from a saved sequence (<c>--since</c>).
/// </summary>
public static class WatchCommand
{
    static readonly Option<long> Since = new("--since") { Description = "Show alerts after this sequence first (default: all of yours).", DefaultValueFactory = _ => 0 };
    static readonly Option<bool> Json = new("--json") { Description = "One JSON object per alert, for scripts." };
    static readonly Option<HubProtocol> Protocol = new("--protocol") { Description = "The hub protocol: Json (default) or MessagePack.", DefaultValueFactory = _ => HubProtocol.Json };

    public static Command Create()
    {
        var command = new Command("watch", "Stream your alerts live (catching up on missed ones); Ctrl-C stops.");
        Api.AddTo(command);
        command.Add(Since);
        command.Add(Json);
        command.Add(Protocol);
        command.SetAction((parsed, cancellationToken) => Api.Run(async () =>
        {
            var token = Api.TokenOf(parsed) ?? throw new ArgumentException($"A token is required: --token or ${Api.TokenVariable}");
            var json = parsed.GetValue(Json);
            await using var client = new GridClient(new Uri(parsed.GetValue(Api.Url)!), () => Task.FromResult<string?>(token), parsed.GetValue(Since),
                protocol: parsed.GetValue(Protocol));
            client.StateChanged += state => { if (!json) AnsiConsole.MarkupLineInterpolated($"[grey]-- {state} --[/]"); };
            client.AlertReceived += alert => Show(alert, json, "new");
            client.AlertUpdated += alert => Show(alert, json, "updated");
            await client.StartAsync(cancellationToken);
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
            if (!json) AnsiConsole.MarkupLineInterpolated($"[grey]Last sequence seen: {client.LastSeq} (resume with --since {client.LastSeq})[/]");
            return 0;
        }));
        return command;
    }

    static void Show(Alert alert, bool json, string what)
    {
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { what, alert }));
            return;
        }
        var colour = alert.Severity switch { "urgent" => "red", "high" => "orange1", "task" => "yellow", _ => "blue" };
        var due = alert.DueBy is { } d ? $" due {d.ToLocalTime():MM-dd HH:mm}" : "";
        var state = alert.Status == "acknowledged" ? $" [green]✓ {Markup.Escape(alert.AcknowledgedBy ?? "")}[/]" : "";
        AnsiConsole.MarkupLine($"[grey]#{alert.Seq}[/] [{colour}]{Markup.Escape(alert.Severity)}[/] {Markup.Escape(alert.Kind)} "
            + $"{Markup.Escape(alert.CellId ?? alert.County)}{Markup.Escape(due)}{state}  {Markup.Escape(alert.Message)}"
            + (what == "updated" ? " [grey](updated)[/]" : ""));
    }
}
