namespace EpiGrid.Platform;

/// <summary>
/// EpiGrid's one clock is a keyed <see cref="TimeProvider"/> registration. It is keyed, not the default one,
/// because Orleans drives its own internals (membership, timers) from the default provider: tests move the
/// domain clock 14 days forward without moving the cluster's heartbeat.
/// </summary>
public static class Clocks
{
    public const string Domain = "epigrid-domain";
}
