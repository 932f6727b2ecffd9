using EpiGrid.Platform;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// The one live-or-replay branch of the GET endpoints (cell, county, province, the web app's replay): asOf or knownAt
/// give the view replayed in the silo (<see cref="IHistoryGrain"/>), with the query on record.
/// </summary>
public sealed class History(IGrainFactory grains, QueryRecords records, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
{
    /// <summary>
    /// The one live-or-replay read of the GET endpoints: the live view unless asOf or knownAt is given; then the replay,
    /// only for those who may read the county's history (<paramref name="county"/> null: the province's), at a moment a
    /// replay can be asked for, with the query on record (<paramref name="what"/>) before it is answered.
    /// </summary>
    public async Task<(T? View, ProblemDetails? Refusal)> Read<T>(
        HttpContext http, string? county, string what, DateTimeOffset? asOf, DateTimeOffset? knownAt,
        Func<Task<T>> live, Func<IHistoryGrain, Moment, CancellationToken, Task<T>> replayed)
    {
        if (asOf is null && knownAt is null) return (await live(), null);
        var (view, _, refusal) = await Replayed(http, county, what, asOf, knownAt, replayed);
        return (view, refusal);
    }

    /// <summary>The replay at the moment asked (neither given: now), under the same rules as <see cref="Read{T}"/>.</summary>
    public async Task<(T? View, Moment Moment, ProblemDetails? Refusal)> Replayed<T>(
        HttpContext http, string? county, string what, DateTimeOffset? asOf, DateTimeOffset? knownAt,
        Func<IHistoryGrain, Moment, CancellationToken, Task<T>> replayed)
    {
        var now = clock.GetUtcNow();
        var moment = Moment.From(asOf, knownAt, now);
        // A replay is history: only those who may read the county's history (docs/audit.md, Access).
        if (AuditAccess.Of(http).Refusal(county) is { } notHistory) return (default, moment, notHistory);
        if (Moments.Refusal(asOf, knownAt, now) is { } badMoment) return (default, moment, badMoment);
        await records.Record(http, what);
        return (await replayed(grains.GetGrain<IHistoryGrain>(0), moment, http.RequestAborted), moment, null);
    }
}
