namespace EpiGrid.Bench.Infrastructure;

/// <summary>The real platform as two processes (the built Silo and WebHost), configured as run.sh does, on the bench's own ports.</summary>
public sealed class PlatformUnderTest : IAsyncDisposable
{
    readonly List<Process> processes = [];
    readonly StreamWriter log;

    PlatformUnderTest(BenchContext ctx, string logName)
    {
        Context = ctx;
        BaseAddress = new Uri($"http://127.0.0.1:{ctx.HttpPort}");
        log = new StreamWriter(Path.Combine(ctx.WorkDirectory, $"{logName}.log")) { AutoFlush = true };
    }

    public BenchContext Context { get; }
    public Uri BaseAddress { get; }
    public Process Silo => processes[0];
    public Process WebHost => processes[1];
    public int Run { get; private set; }
    /// <summary>From the start of the silo's process until the web host first answered /health/ready.</summary>
    public TimeSpan StartToReady { get; private set; }
    /// <summary>When /health/ready first answered (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public long ReadyAt { get; private set; }

    /// <summary>The platform's database in run <paramref name="run"/>: a fresh copy of the seeded one.</summary>
    public static string DatabaseOf(int run) => $"epigrid_run{run}";

    public static async Task<PlatformUnderTest> Start(BenchContext ctx, int run)
    {
        await using (var admin = new Npgsql.NpgsqlConnection(ctx.Database("postgres")))
        {
            await admin.OpenAsync();
            async Task Sql(string sql) { await using var c = new Npgsql.NpgsqlCommand(sql, admin); await c.ExecuteNonQueryAsync(); }
            await using (var exists = new Npgsql.NpgsqlCommand($"select 1 from pg_database where datname = '{SeededDatabase}'", admin))
                if (await exists.ExecuteScalarAsync() is null)
                {
                    // Seed once, with a platform of its own, then copy: no measured silo spends its start seeding
                    // (which left seeding's garbage in the idle footprint), and every run starts from the same province.
                    await Sql($"create database {SeededDatabase}");
                    var started = Stopwatch.StartNew();
                    await (await Launch(ctx, 0, SeededDatabase)).DisposeAsync();
                    BenchContext.Log($"Seeded {ctx.SeededCells:N0} cells into {SeededDatabase} in {started.Elapsed.TotalSeconds:0.0} s");
                }
            await Sql($"drop database if exists {DatabaseOf(run)} with (force)");
            await Sql($"create database {DatabaseOf(run)} template {SeededDatabase}");
        }
        return await Launch(ctx, run, DatabaseOf(run));
    }

    const string SeededDatabase = "epigrid_seeded";
    /// <summary>A throw-away key of the keyed identity hashes, one per bench process.</summary>
    static readonly string HashKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The platform on a database that is already there, as it is (no copy, no seeding unless it is empty): a restart on
    /// a store of its own. <paramref name="logName"/> names the log file in the work directory.
    /// </summary>
    public static Task<PlatformUnderTest> StartOn(BenchContext ctx, int run, string database, string logName, TimeSpan readyWithin) =>
        Launch(ctx, run, database, logName, readyWithin);

    static async Task<PlatformUnderTest> Launch(BenchContext ctx, int run, string database, string? logName = null, TimeSpan? readyWithin = null)
    {
        var platform = new PlatformUnderTest(ctx, logName ?? $"platform-{run}") { Run = run };
        var signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var common = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development", ["ASPNETCORE_ENVIRONMENT"] = "Development",
            // A database of its own each run, copied from the seeded one: every run starts from the same
            // outbreak-free province (colour needs green counties; replay reads exactly this run's events).
            ["ConnectionStrings__Marten"] = ctx.PlatformConnection is { Length: > 0 } extra ? $"{ctx.Database(database)};{extra}" : ctx.Database(database),
            ["Cluster__ClusterId"] = $"bench-{run}-{Guid.NewGuid():N}"[..20], ["Cluster__GatewayPort"] = ctx.GatewayPort.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            // As run.sh: identity numbers are accepted only with a hash key (the import workload posts them).
            ["PersonalData__HashKey"] = HashKey,
        };
        foreach (var (key, value) in ctx.PlatformEnvironment) common[key] = value;
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
        var within = readyWithin ?? TimeSpan.FromMinutes(3);
        while (true)
        {
            if (platform.processes.Any(p => p.HasExited)) throw new InvalidOperationException($"A platform process exited; see {ctx.WorkDirectory}");
            if (started.Elapsed > within) throw new TimeoutException($"The platform was not ready within {within.TotalMinutes} minutes");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    (platform.StartToReady, platform.ReadyAt) = (started.Elapsed, Stopwatch.GetTimestamp());
                    break;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        if (run > 0) BenchContext.Log($"Platform run {run} ready in {started.Elapsed.TotalSeconds:0.0} s (silo pid {platform.Silo.Id})");
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
    public long SiloRssBytes() => RssBytes(Silo);

    /// <summary>The silo's largest resident set since it started (the kernel's high-water mark, VmHWM).</summary>
    public long SiloPeakRssBytes() => StatusBytes(Silo, "VmHWM:");

    /// <summary>Resident set size of a process, from /proc.</summary>
    public static long RssBytes(Process process) => StatusBytes(process, "VmRSS:");

    static long StatusBytes(Process process, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith(field))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException($"No {field} in /proc/{process.Id}/status");
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
