using System.Diagnostics;
using System.Text;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// The real platform as separate OS processes (the built Silo and WebHost), so a test can SIGKILL them.
/// Uses the binaries of the same configuration (Debug/Release) as the tests.
/// </summary>
public sealed class PlatformProcesses : IAsyncDisposable
{
    readonly string connectionString;
    readonly string signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
    readonly string clusterId = "proc-" + Guid.NewGuid().ToString("N")[..8];
    readonly int siloPort = FreePort.Next(), gatewayPort = FreePort.Next(), httpPort = FreePort.Next();
    readonly int seedCells;
    Process? silo, web;
    readonly StringBuilder output = new();

    public PlatformProcesses(string connectionString, int seedCells = 0) =>
        (this.connectionString, this.seedCells) = (connectionString, seedCells);

    public Uri BaseAddress => new($"http://127.0.0.1:{httpPort}");
    public string Output { get { lock (output) return output.ToString(); } }

    public async Task Start(TimeSpan within)
    {
        silo = Launch(Binary("Silo", "EpiGrid.Silo.dll"), new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Marten"] = connectionString,
            ["Cluster__ClusterId"] = clusterId,
            ["Cluster__SiloPort"] = siloPort.ToString(),
            ["Cluster__GatewayPort"] = gatewayPort.ToString(),
            ["Seeding__Cells"] = seedCells.ToString(),
        });
        web = Launch(Binary("WebHost", "EpiGrid.WebHost.dll"), new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["Cluster__ClusterId"] = clusterId,
            ["Cluster__GatewayPort"] = gatewayPort.ToString(),
            ["Auth__SigningKey"] = signingKey,
            ["PersonalData__HashKey"] = signingKey,
        });
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.True(async () =>
        {
            if (silo.HasExited || web.HasExited) throw new InvalidOperationException("A process exited:\n" + Output);
            try { return (await http.GetAsync("/health/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, within, "platform ready\n" + Output);
    }

    /// <summary>SIGKILL both processes: no shutdown code runs, in-flight memory is lost.</summary>
    public void KillHard()
    {
        foreach (var p in new[] { web, silo }.OfType<Process>())
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    Process Launch(string dll, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var name = Path.GetFileNameWithoutExtension(dll);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static string Binary(string project, string dll)
    {
        var testBin = AppContext.BaseDirectory;
        var configuration = testBin.Contains("/bin/Release/") ? "Release" : "Debug";
        var root = new DirectoryInfo(testBin);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EpiGrid.slnx"))) root = root.Parent;
        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Repository root not found"),
            project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} ({configuration}) first", path);
    }

    public ValueTask DisposeAsync()
    {
        KillHard();
        return ValueTask.CompletedTask;
    }
}
