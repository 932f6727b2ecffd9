namespace EpiGrid.Audit;

/// <summary>
/// One export (key: a new id per export), reading a snapshot of the store (a read-only, repeatable-read transaction):
/// the count answered by <see cref="Open"/> and the rows <see cref="Next"/> then gives agree, however many events are
/// committed meanwhile. The snapshot lives until <see cref="Close"/>, or at most the timeout given to <see cref="Open"/>
/// (PostgreSQL stops its statements and the idle transaction then).
/// </summary>
public interface IEventExportGrain : IGrainWithGuidKey
{
    /// <summary>Opens the snapshot and answers how many events of the filter it holds.</summary>
    [ResponseTimeout("01:00:00")]
    Task<long> Open(EventFilter filter, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The next rows, at most <paramref name="max"/>, in sequence order; none when the export is complete.</summary>
    [ResponseTimeout("01:00:00")]
    Task<IReadOnlyList<StoredRow>> Next(int max, CancellationToken cancellationToken = default);

    /// <summary>Gives the snapshot back. Called once the export ends, complete or not.</summary>
    Task Close();
}
