namespace EpiGrid.WebHost.Audit;

/// <summary>
/// What the live GET endpoints call when asked for asOf or knownAt: the replayed view, with the query on record.
/// </summary>
public sealed class History(Replay replay, AuditTrail trail, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
{
    public static bool Asked(DateTimeOffset? asOf, DateTimeOffset? knownAt) => asOf is not null || knownAt is not null;

    /// <summary>Moments no replay can be asked for (see <see cref="Moment.Refusal"/>).</summary>
    public ProblemDetails? Refusal(DateTimeOffset? asOf, DateTimeOffset? knownAt) => Moment.Refusal(asOf, knownAt, clock.GetUtcNow());

    public async Task<CellView?> Cell(HttpContext http, string cellId, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        await trail.Record(http, "cell");
        return await replay.Cell(cellId, Moment.From(asOf, knownAt, clock.GetUtcNow()), http.RequestAborted);
    }

    public async Task<CountyView> County(HttpContext http, string code, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        await trail.Record(http, "county");
        return await replay.County(code, Moment.From(asOf, knownAt, clock.GetUtcNow()), http.RequestAborted);
    }

    public async Task<ProvinceView> Province(HttpContext http, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        await trail.Record(http, "province");
        return await replay.Province(Moment.From(asOf, knownAt, clock.GetUtcNow()), http.RequestAborted);
    }
}
