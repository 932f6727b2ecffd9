using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Streams;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Cells;

/// <summary>Carries a cell's committed changes to its county. Best effort: counties reconcile with the store.</summary>
public interface ICellChangePublisher
{
    Task Publish(string county, CellChanged change);
}

/// <summary>Publishes into the county's stream: one stream per county, not one per cell.</summary>
public sealed class StreamCellChangePublisher(IClusterClient client) : ICellChangePublisher
{
    readonly ConcurrentDictionary<string, IAsyncStream<CellChanged>> streams = new();

    public Task Publish(string county, CellChanged change) =>
        streams.GetOrAdd(county, c => client.GetStreamProvider(StreamNames.Provider)
                .GetStream<CellChanged>(StreamId.Create(StreamNames.CellChanges, c)))
            .OnNextAsync(change);
}
