namespace EpiGrid.Bench.Infrastructure;

/// <summary>The real platform as two processes (the built Silo and WebHost), configured as run.sh does, on the bench's own ports.</summary>
public sealed class PlatformUnderTest : IAsyncDisposable
{
    readonly List<Process> processes = [];
    readonly StreamWriter log;

    PlatformUnderTest(BenchContext ctx, int run)
    {
        Context = ctx;
        BaseAddress = new Uri($"http://127.0.0.1:{ctx.HttpPort}");
        log = new StreamWriter(Path.Combine(ctx.WorkDirectory, $"platform-{run}.log")) { AutoFlush = true };
    }

    public BenchContext Context { get; }
    public Uri BaseAddress { get; }
    public Process Silo => processes[0];

    public static async Task<PlatformUnderTest> Start(BenchContext ctx, int run)
    {
        var platform = new PlatformUnderTest(ctx, run);
        var signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var common = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development", ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Marten"] = ctx.Database("epigrid"),
            ["Cluster__ClusterId"] = $"bench-{run}-{Guid.NewGuid():N}"[..20], ["Cluster__GatewayPort"] = ctx.GatewayPort.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var started = Stopwatch.StartNew();
        platform.Launch("Silo", "EpiGrid.Silo.dll", new(common)
        {
            ["Cluster__SiloPort"] = ctx.SiloPort.ToString(), ["Seeding__Cells"] = ctx.SeededCells.ToString(),
        });
        platform.Launch("WebHost", "EpiGrid.WebHost.dll", new(common)
        {
            ["ASPNETCORE_URLS"] = platform.BaseAddress.ToString(), ["Auth__SigningKey"] = signingKey,
        });
        using var http = new HttpClient { BaseAddress = platform.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (platform.processes.Any(p => p.HasExited)) throw new InvalidOperationException($"A platform process exited; see {ctx.WorkDirectory}");
            if (started.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("The platform was not ready within 3 minutes");
            try { if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        BenchContext.Log($"Platform run {run} ready in {started.Elapsed.TotalSeconds:0.0} s (silo pid {platform.Silo.Id})");
        return platform;
    }

    void Launch(string project, string dll, Dictionary<string, string> environment)
    {
        var folder = Path.Combine(Context.Artifacts, "bin", project, "release");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, dll)])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}");
        process.OutputDataReceived += (_, e) => Write(project, e.Data);
        process.ErrorDataReceived += (_, e) => Write(project, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
    }

    void Write(string project, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine($"[{project}] {line}");
    }

    /// <summary>Resident set size of the silo, from /proc.</summary>
    public long SiloRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Silo.Id}/status"))
            if (line.StartsWith("VmRSS:"))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("No VmRSS in /proc status");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(processes))
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
        }
        lock (log) log.Dispose();
    }
}
