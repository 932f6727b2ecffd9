using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// A cluster of real processes as deploy/local-cluster.sh runs it: silos on Redis clustering (a ClusterId of its own) and
/// web hosts that are Orleans clients sharing SignalR through Redis. Any process can be SIGKILLed.
/// </summary>
public sealed class ClusterUnderTest(string marten, string redis) : IAsyncDisposable
{
    public sealed record Node(string Name, Process Process, int Port)
    {
        public bool IsAlive => !Process.HasExited;
    }

    readonly string clusterId = "chaos-" + Guid.NewGuid().ToString("N")[..8];
    public string SigningKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
    /// <summary>Key of the keyed identity hashes, so that persons can be reported.</summary>
    public string HashKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
    /// <summary>More settings of every silo started from now on (environment variables, e.g. Alerts__SweepInterval).</summary>
    public Dictionary<string, string> SiloSettings { get; } = new();
    readonly StringBuilder output = new();
    public List<Node> Silos { get; } = [];
    public List<Node> Webs { get; } = [];
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Starts a silo and waits for its gateway; the first one seeds <paramref name="seedCells"/> cells into an empty store.</summary>
    public async Task<Node> StartSilo(int seedCells = 0)
    {
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        var environment = new Dictionary<string, string>(SiloSettings)
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Cluster__SiloPort"] = siloPort.ToString(),
            ["Cluster__GatewayPort"] = gatewayPort.ToString(),
            ["Cluster__AdvertisedIp"] = "127.0.0.1",
            ["Seeding__Cells"] = seedCells.ToString(),
            ["PersonalData__HashKey"] = HashKey,
        };
        var node = new Node($"silo{Silos.Count + 1}", Launch("Silo", "EpiGrid.Silo.dll", $"silo{Silos.Count + 1}", environment), gatewayPort);
        Silos.Add(node);
        await Eventually.True(async () =>
        {
            if (!node.IsAlive) throw new InvalidOperationException($"{node.Name} exited:\n{Output}");
            try { using var tcp = new TcpClient(); await tcp.ConnectAsync("127.0.0.1", gatewayPort); return true; }
            catch (SocketException) { return false; }
        }, TimeSpan.FromSeconds(180), $"{node.Name} gateway");
        return node;
    }

    public async Task<Node> StartWeb()
    {
        var port = FreePort.Next();
        var node = new Node($"web{Webs.Count + 1}", Launch("WebHost", "EpiGrid.WebHost.dll", $"web{Webs.Count + 1}", new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Auth__SigningKey"] = SigningKey,
            ["PersonalData__HashKey"] = HashKey,
        }), port);
        Webs.Add(node);
        using var http = new HttpClient { BaseAddress = Address(node), Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.True(async () =>
        {
            if (!node.IsAlive) throw new InvalidOperationException($"{node.Name} exited:\n{Output}");
            try { return (await http.GetAsync("/health/ready")).IsSuccessStatusCode; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
        }, TimeSpan.FromSeconds(120), $"{node.Name} ready");
        return node;
    }

    public static Uri Address(Node web) => new($"http://127.0.0.1:{web.Port}");

    /// <summary>SIGKILL: no shutdown code runs; the silo's activations and in-flight messages are gone.</summary>
    public static void KillHard(Node node)
    {
        if (node.IsAlive) node.Process.Kill(entireProcessTree: true);
        node.Process.WaitForExit(10_000);
    }

    Process Launch(string project, string dll, string name, Dictionary<string, string> environment)
    {
        var path = Binary(project, dll);
        var start = new ProcessStartInfo("dotnet", [path])
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Marten"] = marten;
        start.Environment["ConnectionStrings__Redis"] = redis;
        start.Environment["Cluster__Clustering"] = "redis";
        start.Environment["Cluster__ClusterId"] = clusterId;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static string Binary(string project, string dll)
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/") ? "Release" : "Debug";
        var path = Path.Combine(Repository.Root, project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} ({configuration}) first", path);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var node in Webs.Concat(Silos)) KillHard(node);
        return ValueTask.CompletedTask;
    }
}
