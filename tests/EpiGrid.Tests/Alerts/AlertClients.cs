using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Alerts;

/// <summary>A received alert and when it arrived (Stopwatch ticks), for latency checks.</summary>
public sealed record Received(JsonObject Alert, long At)
{
    public string Id => Alert["id"]!.GetValue<string>();
    public long Seq => Alert["seq"]!.GetValue<long>();
    public string Kind => Alert["kind"]!.GetValue<string>();
}

/// <summary>The .NET SignalR client on EpiGrid's hub, keeping every alert it receives.</summary>
public sealed class DotNetAlertClient : IAsyncDisposable
{
    public ConcurrentQueue<Received> Alerts { get; } = new();
    public ConcurrentQueue<JsonObject> Updates { get; } = new();
    public HubConnection Connection { get; }

    /// <param name="messagePack">Speak MessagePack (EpiGrid.Client's <c>AddEpiGridMessagePack</c>) instead of JSON.</param>
    public DotNetAlertClient(Uri server, string token, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/grid"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        if (messagePack) EpiGrid.Client.HubProtocols.AddEpiGridMessagePack(builder);
        Connection = builder.Build();
        Connection.On<JsonObject>("alert", a => Alerts.Enqueue(new Received(a, Stopwatch.GetTimestamp())));
        Connection.On<JsonObject>("alertUpdated", a => Updates.Enqueue(a));
    }

    public static async Task<DotNetAlertClient> Connect(Uri server, string token, bool messagePack = false)
    {
        var client = new DotNetAlertClient(server, token, messagePack);
        await client.Connection.StartAsync();
        return client;
    }

    public async Task<Received> WaitFor(Func<Received, bool> match, TimeSpan within)
    {
        Received? found = null;
        await Eventually.True(() => Task.FromResult((found = Alerts.FirstOrDefault(match)) is not null), within);
        return found!;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

/// <summary>The official JavaScript client (@microsoft/signalr) under Node, as a browser would run it.</summary>
public sealed class NodeAlertClient : IAsyncDisposable
{
    readonly Process node;
    readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ConcurrentQueue<Received> Alerts { get; } = new();

    NodeAlertClient(Uri server, string token, bool messagePack)
    {
        var script = Path.Combine(Repository.Root, "tests", "js", "watch-alerts.mjs");
        string[] args = [script, new Uri(server, "/hubs/grid").ToString(), token, .. messagePack ? new[] { "--messagepack" } : []];
        node = Process.Start(new ProcessStartInfo("node", args)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        })!;
        node.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            var line = JsonNode.Parse(e.Data)!.AsObject();
            switch (line["event"]!.GetValue<string>())
            {
                case "connected": Protocol = line["protocol"]?.GetValue<string>(); connected.TrySetResult(); break;
                case "alert": Alerts.Enqueue(new Received(line["alert"]!.AsObject(), Stopwatch.GetTimestamp())); break;
                case "error": connected.TrySetException(new InvalidOperationException(e.Data)); break;
            }
        };
        node.ErrorDataReceived += (_, e) => { if (e.Data is not null) connected.TrySetException(new InvalidOperationException(e.Data)); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
    }

    /// <summary>The protocol the script says it connected with ("json" or "messagepack").</summary>
    public string? Protocol { get; private set; }

    /// <param name="messagePack">The official MessagePack protocol (@microsoft/signalr-protocol-msgpack) instead of JSON.</param>
    public static async Task<NodeAlertClient> Connect(Uri server, string token, bool messagePack = false)
    {
        var client = new NodeAlertClient(server, token, messagePack);
        await client.connected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return client;
    }

    public ValueTask DisposeAsync()
    {
        if (!node.HasExited) node.Kill(entireProcessTree: true);
        node.Dispose();
        return ValueTask.CompletedTask;
    }
}

public static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EpiGrid.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Repository root not found");
        }
    }
}
