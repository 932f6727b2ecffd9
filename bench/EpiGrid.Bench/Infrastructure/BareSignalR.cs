using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>
/// The SignalR baselines: a minimal hub on Kestrel (no authentication, no grains, no database), in a process of its
/// own (the bench's executable with <c>--bare-hub PORT</c>), so that, like the web host, it has its own file
/// descriptors for 10,000 connections. <c>echo(stamp)</c> pushes the stamp back to the caller (the shape of an alert: a server push);
/// POST /broadcast/{id} sends one alert-sized message to the group every connection joined (the shape of a
/// county-wide alert). JSON and MessagePack, as each connection asks.
/// </summary>
public sealed class BareSignalR : IAsyncDisposable
{
    readonly Process process;

    BareSignalR(Process process, Uri baseAddress) => (this.process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }
    public Uri HubUrl => new(BaseAddress, "/hub");
    public Process Process => process;

    /// <summary>Starts the bare hub process on <paramref name="port"/> and waits until it answers.</summary>
    public static async Task<BareSignalR> Launch(int port)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(BareSignalR).Assembly.Location, "--bare-hub", port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bare hub");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) BenchContext.Log("[bare hub] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bare = new BareSignalR(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = bare.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The bare hub exited ({process.ExitCode})");
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("The bare hub did not start within 60 s");
            try { if ((await http.GetAsync("/ready")).IsSuccessStatusCode) return bare; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
        process.Dispose();
    }

    /// <summary>The bare hub process itself (<c>EpiGrid.Bench --bare-hub PORT</c>): runs until killed.</summary>
    public static async Task Serve(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        builder.Services.AddSignalR().AddJsonProtocol().AddMessagePackProtocol();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<BareHub>("/hub");
        app.MapPost("/broadcast/{id}", async (string id, int? before, IHubContext<BareHub> hub) =>
        {
            // ?before=2: a cell's counts and a county's totals first, each a group message of its own, as a case sends them.
            for (var i = 0; i < (before ?? 0); i++)
                await hub.Clients.Group(BareHub.Group).SendAsync(i % 2 == 0 ? "cellChanged" : "countyChanged", BareHub.ChangeLike(i));
            await hub.Clients.Group(BareHub.Group).SendAsync("alert", BareHub.AlertLike(id));
            return Results.Accepted();
        });
        app.MapGet("/ready", () => Results.Ok());
        await app.RunAsync();
    }
}

public sealed class BareHub : Hub
{
    public const string Group = "county";

    public override Task OnConnectedAsync() => Groups.AddToGroupAsync(Context.ConnectionId, Group);

    public Task Echo(long stamp) => Clients.Caller.SendAsync("echo", stamp);

    /// <summary>About the size of a cellChanged (even) or a countyChanged (odd) payload.</summary>
    public static object ChangeLike(int i) => i % 2 == 0
        ? new { cellId = "330106-001-001", county = "330106", version = 12, confirmed = 1, active = 1, suspected = 0, asymptomatic = 0, travellers = 3 }
        : new
        {
            code = "330106", nameZh = "西湖区", nameEn = "Xihu", confirmed = 1, active = 1, suspected = 0, asymptomatic = 0, travellers = 3,
            colour = "yellow", colours = new Dictionary<string, string> { ["zhejiang-5"] = "yellow", ["national-3"] = "yellow", ["harvard-4"] = "green" },
            evaluatedAt = DateTimeOffset.UtcNow,
        };

    /// <summary>About the size and shape of EpiGrid's alert payload.</summary>
    public static object AlertLike(string caseId) => new
    {
        id = "alert-" + caseId, seq = 1, kind = "case-confirmed", severity = "urgent", cellId = "330106-001-001", county = "330106",
        message = "Confirmed case reported in cell 330106-001-001: visit within 1 hour.", raisedAt = DateTimeOffset.UtcNow,
        dueBy = DateTimeOffset.UtcNow.AddHours(1), subject = new Dictionary<string, string> { ["caseId"] = caseId },
        status = "open", ruleVersion = "alerts-1",
    };
}
