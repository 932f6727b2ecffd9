using EpiGrid.Cells;
using EpiGrid.Grains.Cells;

namespace EpiGrid.Tests.Grains;

/// <summary>
/// The stream to the county, with a switch that loses messages the way a crashed silo loses memory-stream
/// messages in flight. The only test double here: everything behind it (county, store) is real.
/// </summary>
public sealed class DroppingPublisher(IClusterClient client) : ICellChangePublisher
{
    readonly StreamCellChangePublisher real = new(client);
    public volatile bool Dropping;
    public int Dropped;

    public Task Publish(string county, CellChanged change)
    {
        if (!Dropping) return real.Publish(county, change);
        Interlocked.Increment(ref Dropped);
        return Task.CompletedTask;
    }
}
