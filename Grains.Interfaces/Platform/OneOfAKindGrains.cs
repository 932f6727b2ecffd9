using EpiGrid.Alerts;

namespace EpiGrid.Platform;

/// <summary>
/// References to the platform's one-of-a-kind grains, the alert ledger and the push hub, made once per silo. Orleans'
/// <c>GetGrain</c> resolves the interface's grain type by reading its attributes on every call: a report asked for both,
/// about 3 % of a busy silo's CPU (a cpu-sampling profile under the batch load, BENCHMARKS.md). A grain reference is
/// immutable and every grain of the silo may share it.
/// </summary>
public sealed class OneOfAKindGrains(IGrainFactory grains)
{
    /// <summary>The alert ledger (key 0).</summary>
    public IAlertLedgerGrain Ledger { get; } = grains.GetGrain<IAlertLedgerGrain>(0);

    /// <summary>The push hub (key 0), through which grains reach the web hosts' relays.</summary>
    public IPushHubGrain PushHub { get; } = grains.GetGrain<IPushHubGrain>(0);
}
