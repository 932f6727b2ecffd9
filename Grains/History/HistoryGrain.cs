using EpiGrid.Audit;
using EpiGrid.Geography;
using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.Grains.History;

/// <summary>
/// The history's reads, in the silo, over <see cref="IEventHistory"/>: the web hosts ask, this answers. Stateless: a
/// read may run on any silo; it holds no state, so its reads interleave (a verification of a year's history does not
/// hold up a county's trend). A read bounded by a timeout that PostgreSQL stops answers <see cref="HistoryReadTimedOutException"/>.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class HistoryGrain(
    Replay replay, ColourExplanations explanations, WhatIf whatIf, ChainVerifier verifier, DigestArchive digests, CaseChains chains,
    IEventHistory history, IDocumentStore store, Province province, RuleBook rules,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock) : Grain, IHistoryGrain
{
    public Task<CellView?> Cell(string cellId, Moment moment, CancellationToken cancellationToken) =>
        replay.Cell(cellId, moment, cancellationToken);

    public Task<EpiGrid.People.PersonCodeHistory?> PersonCode(string personRef, Moment moment, CancellationToken cancellationToken) =>
        replay.PersonCode(personRef, moment, cancellationToken);

    public Task<CountyView> County(string code, Moment moment, CancellationToken cancellationToken) =>
        replay.County(code, moment, cancellationToken);

    public Task<ProvinceView> Province(Moment moment, CancellationToken cancellationToken) =>
        replay.Province(moment, cancellationToken);

    public Task<ColourExplanation> Explain(string county, string ruleSet, Moment moment, CancellationToken cancellationToken) =>
        explanations.Explain(county, Configured(ruleSet), moment, cancellationToken);

    public Task<WhatIfResponse> WhatIf(string ruleSet, string? ruleVersion, Zhejiang5Parameters? parameters, DateTimeOffset from,
        DateTimeOffset to, DateTimeOffset knownAt, CancellationToken cancellationToken)
    {
        var configured = Configured(ruleSet);
        var version = ruleVersion is null ? null
            : configured.Find(ruleVersion) ?? throw new ArgumentException($"{ruleSet} has no version {ruleVersion}.", nameof(ruleVersion));
        var judged = parameters is not null
            ? RuleSetVersions.Fixed((version ?? configured.Latest) is Zhejiang5RuleSet z ? new Zhejiang5RuleSet(parameters, z.BaseVersion)
                : throw new ArgumentException($"{ruleSet} has no parameters to change.", nameof(parameters)))
            : version is not null ? RuleSetVersions.Fixed(version)
            : configured;
        return whatIf.Run(judged, from, to, knownAt, cancellationToken);
    }

    public async Task<EpiGrid.Provinces.ColourHistory> ColourHistory(string ruleSet, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var offset = province.Options.UtcOffset;
        var now = clock.GetUtcNow();
        var start = from.Start(offset);
        var end = to.AddDays(1).Start(offset).AddTicks(-1);
        var timelines = await whatIf.Run(Configured(ruleSet), start, end < now ? end : now, now, cancellationToken);
        return EpiGrid.Provinces.ColourHistory.Of(timelines, from, to, offset, now);
    }

    public Task<IReadOnlyList<StoredRow>> Events(EventFilter filter, long offset, int limit, TimeSpan timeout, CancellationToken cancellationToken) =>
        Bounded(async () =>
        {
            await using var snapshot = await history.Snapshot(timeout, cancellationToken);
            var rows = new List<StoredRow>(Math.Min(limit, 1024));
            await foreach (var row in snapshot.Rows(filter, offset, limit, cancellationToken)) rows.Add(row);
            return (IReadOnlyList<StoredRow>)rows;
        });

    public async Task<IReadOnlyList<DailyCount>> NewConfirmedPerDay(string county, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        // The case register holds each case's latest fact: a case later ruled out is not counted on its day.
        var occurred = await session.Query<CaseRecord>()
            .Where(c => c.County == county && c.Kind == CaseKind.Confirmed && c.Status != CaseStatus.RuledOut && c.OccurredAt >= from && c.OccurredAt <= to)
            .Select(c => c.OccurredAt).ToListAsync(cancellationToken);
        var offset = province.Options.UtcOffset;
        return occurred.GroupBy(t => t.LocalDay(offset)).OrderBy(g => g.Key).Select(g => new DailyCount(g.Key, g.Count())).ToList();
    }

    public async Task<EpiGrid.People.EpiCurve> EpiCurve(string? county, DateOnly from, DateOnly to, bool byOnset, Moment? moment,
        CancellationToken cancellationToken)
    {
        // Six days before the first: each day's 7-day mean counts them.
        var (cases, withoutOnset) = await CurveCases(county, from.AddDays(1 - EpiGrid.People.EpiCurves.AverageDays), from, to, byOnset, moment, cancellationToken);
        return new EpiGrid.People.EpiCurve(county, byOnset ? "onset" : "report", from, to,
            EpiGrid.People.EpiCurves.Days(cases.Select(c => (c.Day, c.Kind)), from, to), withoutOnset);
    }

    public async Task<IReadOnlyList<EpiGrid.People.CountyIncidence>> ConfirmedByCounty(DateOnly from, DateOnly to, bool byOnset, Moment? moment,
        CancellationToken cancellationToken) =>
        EpiGrid.People.EpiCurves.ConfirmedByCounty((await CurveCases(null, from, from, to, byOnset, moment, cancellationToken)).Cases, from, to);

    /// <summary>
    /// The cases a curve counts (not ruled out) on local days [<paramref name="first"/>, <paramref name="to"/>] by report or by onset,
    /// and how many reported on [<paramref name="countFrom"/>, <paramref name="to"/>] carry no onset: live from the case register, or
    /// as of a moment from the cells' events (the line list's fold).
    /// </summary>
    async Task<(IReadOnlyList<EpiGrid.People.CurveCase> Cases, int WithoutOnset)> CurveCases(string? county, DateOnly first, DateOnly countFrom,
        DateOnly to, bool byOnset, Moment? moment, CancellationToken cancellationToken)
    {
        var offset = province.Options.UtcOffset;
        var (low, high, counted) = (first.Start(offset), to.AddDays(1).Start(offset), countFrom.Start(offset));
        if (moment is { } m)
            return await Bounded(async () =>
            {
                var then = (await chains.AllAsOf(county, m, cancellationToken)).Where(c => c.Status != CaseStatus.RuledOut).ToList();
                var cases = then.Select(c => (c.County, At: byOnset ? c.OnsetAt : c.OccurredAt, c.Kind))
                    .Where(c => c.At >= low && c.At < high)
                    .Select(c => new EpiGrid.People.CurveCase(c.County, c.At!.Value.LocalDay(offset), c.Kind)).ToList();
                return ((IReadOnlyList<EpiGrid.People.CurveCase>)cases, then.Count(c => c.OnsetAt == null && c.OccurredAt >= counted && c.OccurredAt < high));
            });
        await using var session = store.QuerySession();
        var register = session.Query<CaseRecord>().Where(c => c.Status != CaseStatus.RuledOut);
        if (county is not null) register = register.Where(c => c.County == county);
        var rows = byOnset
            ? await register.Where(c => c.OnsetAt != null && c.OnsetAt >= low && c.OnsetAt < high)
                .Select(c => new { c.County, At = c.OnsetAt!.Value, c.Kind }).ToListAsync(cancellationToken)
            : await register.Where(c => c.OccurredAt >= low && c.OccurredAt < high).Select(c => new { c.County, At = c.OccurredAt, c.Kind }).ToListAsync(cancellationToken);
        var withoutOnset = await register.Where(c => c.OnsetAt == null && c.OccurredAt >= counted && c.OccurredAt < high).CountAsync(cancellationToken);
        return (rows.Select(r => new EpiGrid.People.CurveCase(r.County, r.At.LocalDay(offset), r.Kind)).ToList(), withoutOnset);
    }

    public async Task<IReadOnlyList<EpiGrid.People.CaseLocation>> FindCase(string caseId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        // Records written before case ids were scoped by county have the case id as their id and no CaseId.
        var found = await session.Query<CaseRecord>().Where(c => c.CaseId == caseId || (c.CaseId == null && c.Id == caseId))
            .Select(c => new { c.County, c.CellId }).ToListAsync(cancellationToken);
        return found.Select(c => new EpiGrid.People.CaseLocation(c.County, c.CellId)).OrderBy(c => c.County).ToList();
    }

    public Task<EpiGrid.People.CaseChain?> Chain(string county, string caseId, Moment? moment, CancellationToken cancellationToken) =>
        chains.Chain(county, caseId, moment, cancellationToken);

    public Task<EpiGrid.People.CaseListPage> Cases(EpiGrid.People.CaseListQuery query, Moment? moment, CancellationToken cancellationToken) =>
        Bounded(() => chains.Cases(query, moment, cancellationToken));

    public Task<EpiGrid.People.ClusterView?> Cluster(string clusterId, CancellationToken cancellationToken) =>
        chains.Cluster(clusterId, cancellationToken);

    public Task<IReadOnlyList<EpiGrid.People.CaseNode>> Unlinked(string county, DateTimeOffset now, CancellationToken cancellationToken) =>
        chains.Unlinked(county, now, cancellationToken);

    public Task<VerifyResponse> Verify(TimeSpan timeout, CancellationToken cancellationToken) =>
        Bounded(() => verifier.Verify(null, timeout, cancellationToken));

    public Task<DigestFile> Digests(CancellationToken cancellationToken) => digests.Export(cancellationToken);

    public Task<IReadOnlyList<ChainBreak>> CheckDigests(IReadOnlyList<CheckedDigestClaim> claims, TimeSpan timeout, CancellationToken cancellationToken) =>
        Bounded(() => digests.Check(claims, timeout, cancellationToken));

    RuleSetVersions Configured(string ruleSet) =>
        rules.Find(ruleSet) ?? throw new ArgumentException($"There is no rule set {ruleSet}.", nameof(ruleSet));

    /// <summary>The read, with PostgreSQL's statement timeout answered as the read's bound rather than as a fault.</summary>
    internal static async Task<T> Bounded<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (PostgresEventHistory.IsStatementTimeout(e))
        {
            throw new HistoryReadTimedOutException("The read was stopped at its statement timeout.");
        }
    }
}
