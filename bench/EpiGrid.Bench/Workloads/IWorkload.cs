namespace EpiGrid.Bench.Workloads;

/// <summary>
/// One workload of BENCHMARKS.md. Each run, the bench first runs every workload's baseline (no platform
/// running, so the baseline has the machine to itself), then starts the platform afresh and measures every
/// workload on it in list order. A new workload is one more class in this folder and one line in <see cref="All"/>.
/// </summary>
public interface IWorkload
{
    string Name { get; }
    Task Baseline(BenchContext ctx, int run);
    Task Measure(BenchContext ctx, PlatformUnderTest platform, int run);
    /// <summary>Its entry in the results: figures, the baseline's, the ratio, the goal and whether it was met.</summary>
    JsonObject Result();

    /// <summary>
    /// In the order they run on a fresh platform: footprint first, while no cell is active; colour while every county
    /// is still green; ingest (its highest rate sets push's background load); fanout on a quiet platform; replay last,
    /// over everything the run wrote.
    /// </summary>
    public static IReadOnlyList<IWorkload> All()
    {
        var ingest = new IngestWorkload();
        var push = new PushWorkload(ingest);
        return [new FootprintWorkload(), new ColourWorkload(push), ingest, push, new FanoutWorkload(), new ReplayWorkload(), NotAvailable.Import];
    }
}

/// <summary>A workload whose platform feature does not exist yet: it is listed in the results with the reason.</summary>
public sealed class NotAvailable(string name, string goal, string reason) : IWorkload
{
    public static readonly NotAvailable Import = new("import", "rows/s of the 300,000-row arrivals CSV: at least 25% of raw COPY",
        "Not measured yet: the arrivals CSV endpoint (issue 4, POST /api/v1/imports/arrivals) landed in eaffef3 while these workloads were being written; it is the next workload.");

    public string Name => name;
    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;
    public Task Measure(BenchContext ctx, PlatformUnderTest platform, int run) => Task.CompletedTask;
    public JsonObject Result() => new() { ["status"] = "not-available", ["reason"] = reason, ["goal"] = goal, ["met"] = null };
}
