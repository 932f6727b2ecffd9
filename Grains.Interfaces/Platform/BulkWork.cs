using Orleans.Runtime;

namespace EpiGrid.Platform;

/// <summary>
/// Marks work done for a bulk request (an arrivals import, a batch upload): the calls made for it carry the mark in
/// Orleans' request context, from the web host through every grain they reach, and the group commit takes their writes
/// in its bulk lane, so that a grid worker's single report does not queue behind them (issue 18).
/// </summary>
public static class BulkWork
{
    const string Key = "epigrid.bulk";

    /// <summary>The grain calls this asynchronous flow makes from now on are bulk work.</summary>
    public static void Mark() => RequestContext.Set(Key, true);

    /// <summary>Whether the call being served is bulk work.</summary>
    public static bool IsCurrent => RequestContext.Get(Key) is true;
}
