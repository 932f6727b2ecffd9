using EpiGrid.Bench.Workloads;

// EpiGrid.Bench --postgres "Host=127.0.0.1;Port=55442;Username=postgres" --artifacts DIR --results DIR [--quick]
//               [--http-port 8092] [--silo-port 11142] [--gateway-port 30042] [--only colour,push,...] [--platform-env K=V;K=V]
//               [--platform-connection "K=V;K=V"]
// The bare SignalR baselines listen on the HTTP port + 1. --only runs some workloads (for trying one out; results
// then hold only those). --platform-env passes settings to the silo and web host, to measure a proposal;
// --platform-connection appends settings to the platform's event store connection string (a pool setting's A/B).
// Normally started by ./bench.sh, which builds Release and starts a private PostgreSQL first.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
    options[args[i].TrimStart('-')] = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : "true";
string Option(string name, string? fallback = null) =>
    options.GetValueOrDefault(name) ?? fallback ?? throw new ArgumentException($"--{name} is required");

if (options.TryGetValue("bare-hub", out var barePort))
{
    await BareSignalR.Serve(int.Parse(barePort)); // the bare SignalR baseline's server process (BareSignalR.Launch)
    return;
}
if (options.TryGetValue("load", out var loadUrl))
{
    // --load URL --seconds N [--batch]: drive an already running platform, for profiling it (BENCHMARKS.md).
    await IngestWorkload.Load(new Uri(loadUrl), TimeSpan.FromSeconds(double.Parse(Option("seconds", "20"))), options.ContainsKey("batch"),
        Province.Parse(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "zhejiang-counties-2020.csv"))));
    return;
}
var quick = options.ContainsKey("quick");
var resultsDirectory = Option("results");
var work = Path.Combine(Path.GetTempPath(), $"epigrid-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var ctx = new BenchContext
{
    Quick = quick,
    PostgresServer = Option("postgres"),
    Artifacts = Path.GetFullPath(Option("artifacts")),
    WorkDirectory = work,
    HttpPort = int.Parse(Option("http-port", "8092")),
    SiloPort = int.Parse(Option("silo-port", "11142")),
    GatewayPort = int.Parse(Option("gateway-port", "30042")),
    Counties = Province.Parse(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "zhejiang-counties-2020.csv"))),
    PlatformEnvironment = options.GetValueOrDefault("platform-env") is { Length: > 0 } env
        ? env.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1])
        : new Dictionary<string, string>(),
    PlatformConnection = options.GetValueOrDefault("platform-connection") ?? "",
};
var started = DateTimeOffset.Now;
var machine = Machine.Describe();
BenchContext.Log($"EpiGrid bench ({(quick ? "quick" : "full")}, {ctx.Runs} runs) on {machine["cores"]} cores, "
    + $"{machine["memoryMb"]} MB, load {machine["loadAverageAtStart"]}; platform logs in {work}");

var workloads = IWorkload.All();
if (options.TryGetValue("only", out var only))
    workloads = workloads.Where(w => only.Split(',').Contains(w.Name)).ToList();
for (var run = 1; run <= ctx.Runs; run++)
{
    foreach (var w in workloads) await w.Baseline(ctx, run);
    if (workloads.Any(w => w is not IStandaloneWorkload))
    {
        await using var platform = await PlatformUnderTest.Start(ctx, run);
        foreach (var w in workloads.Where(w => w is not IStandaloneWorkload)) await w.Measure(ctx, platform, run);
    }
    foreach (var w in workloads.OfType<IStandaloneWorkload>()) await w.MeasureAlone(ctx, run);
}

var results = new JsonObject
{
    ["date"] = started.ToString("O"),
    ["mode"] = quick ? "quick" : "full",
    ["command"] = quick ? "./bench.sh --quick" : "./bench.sh",
    ["durationSeconds"] = Math.Round((DateTimeOffset.Now - started).TotalSeconds),
    ["commit"] = Environment.GetEnvironmentVariable("EPIGRID_BENCH_COMMIT"), // what was measured (bench.sh sets it)
    ["machine"] = machine,
};
if (ctx.PlatformEnvironment.Count > 0)
    results["platformEnvironment"] = new JsonObject(ctx.PlatformEnvironment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
if (ctx.PlatformConnection.Length > 0) results["platformConnection"] = ctx.PlatformConnection;
foreach (var w in workloads) results[w.Name] = w.Result();
var name = started.ToString("yyyy-MM-dd'T'HHmm") + (quick ? "-quick" : "");
var written = ResultsFile.Write(resultsDirectory, name, results);
Console.WriteLine();
Console.WriteLine(ResultsFile.Summary(results));
BenchContext.Log($"Results: {written} and {Path.Combine(resultsDirectory, "latest.json")}");
