using EpiGrid.Audit;
using EpiGrid.Grains.Storage;

namespace EpiGrid.Grains.History;

/// <summary>One export's snapshot, held between the web host's calls for the next rows (<see cref="IEventExportGrain"/>).</summary>
public sealed class EventExportGrain(IEventHistory history) : Grain, IEventExportGrain
{
    HistorySnapshot? snapshot;
    IAsyncEnumerator<StoredRow>? rows;
    EventFilter? filter;

    public Task<long> Open(EventFilter exported, TimeSpan timeout, CancellationToken cancellationToken) =>
        HistoryGrain.Bounded(async () =>
        {
            if (snapshot is not null) throw new InvalidOperationException("This export is already open.");
            // However the caller goes, the snapshot is given back once its bound has passed (PostgreSQL has ended it by then).
            this.RegisterGrainTimer(_ => Close(), new GrainTimerCreationOptions(timeout + TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan));
            (snapshot, filter) = (await history.Snapshot(timeout, cancellationToken), exported);
            return await snapshot.Count(exported, cancellationToken);
        });

    public Task<IReadOnlyList<StoredRow>> Next(int max, CancellationToken cancellationToken) =>
        HistoryGrain.Bounded(async () =>
        {
            if (snapshot is null) throw new InvalidOperationException("This export is not open (or its time has passed).");
            rows ??= snapshot.Rows(filter!, 0, null, CancellationToken.None).GetAsyncEnumerator();
            var page = new List<StoredRow>(Math.Min(max, 4096));
            while (page.Count < max && await rows.MoveNextAsync())
            {
                page.Add(rows.Current);
                if (page.Count % 256 == 0) cancellationToken.ThrowIfCancellationRequested();
            }
            return (IReadOnlyList<StoredRow>)page;
        });

    public async Task Close()
    {
        if (rows is not null) await rows.DisposeAsync();
        if (snapshot is not null) await snapshot.DisposeAsync();
        (rows, snapshot) = (null, null);
        this.DeactivateOnIdle();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Close();
}
