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

    /// <summary>In the order they run on a fresh platform: footprint first, while no cell is active.</summary>
    public static IReadOnlyList<IWorkload> All() =>
    [
        new FootprintWorkload(),
        new IngestWorkload(),
        NotAvailable.Push, NotAvailable.Colour, NotAvailable.Replay, NotAvailable.Fanout, NotAvailable.Import,
    ];
}

/// <summary>A workload whose platform feature does not exist yet: it is listed in the results with the reason.</summary>
public sealed class NotAvailable(string name, string goal, string reason) : IWorkload
{
    public static readonly NotAvailable Push = new("push", "report acknowledged → alert received by a SignalR client: p99 under 50 ms",
        "SignalR alerts are being built (issue 3); there is no hub to receive an alert from yet.");
    public static readonly NotAvailable Colour = new("colour", "event → county colour change pushed: p99 under 250 ms",
        "Colour changes are not pushed to clients yet (SignalR, issue 3).");
    public static readonly NotAvailable Replay = new("replay", "events/s rebuilding the province as of a moment: at least 50% of the raw read",
        "The replay endpoints are being built; nothing rebuilds the province as of a moment yet.");
    public static readonly NotAvailable Fanout = new("fanout", "10,000 SignalR connections on one web host, one county-wide alert delivered to all within 1 s",
        "The web host has no SignalR hub yet.");
    public static readonly NotAvailable Import = new("import", "rows/s of the 300,000-row arrivals CSV: at least 25% of raw COPY",
        "The CSV import is being built; there is no import endpoint yet.");

    public string Name => name;
    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;
    public Task Measure(BenchContext ctx, PlatformUnderTest platform, int run) => Task.CompletedTask;
    public JsonObject Result() => new() { ["status"] = "not-available", ["reason"] = reason, ["goal"] = goal, ["met"] = null };
}
