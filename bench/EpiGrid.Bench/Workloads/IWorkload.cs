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
    /// is still green; ingest (its highest rate sets push's background load); fanout on a quiet platform; replay over
    /// everything those wrote; contacts after them (its 1,000 confirmed cases change ten counties' colours and its 20,000 red
    /// persons join their counties' quarantine watch: none of the earlier workloads meets them, and replay's figure stays
    /// comparable with earlier runs) but before import (whose 300,000 travellers and their visit alerts would be the
    /// contacts' background); import last (its hundreds of thousands of travellers would swamp the replay's events).
    /// Then the standalone workloads, each on platforms of its own: heavyReads, and history last (its first run without a
    /// cache seeds a large store for many minutes).
    /// </summary>
    public static IReadOnlyList<IWorkload> All()
    {
        var ingest = new IngestWorkload();
        var push = new PushWorkload(ingest);
        return [new FootprintWorkload(), new ColourWorkload(push), ingest, push, new FanoutWorkload(), new ReplayWorkload(),
            new ContactsWorkload(push), new ImportWorkload(), new HeavyReadsWorkload(), new HistoryWorkload()];
    }
}

/// <summary>
/// A workload that needs a platform configured its own way (its own database servers, settings): it runs after the
/// shared platform of the run has stopped, on the same ports.
/// </summary>
public interface IStandaloneWorkload : IWorkload
{
    Task MeasureAlone(BenchContext ctx, int run);
}
