using EpiGrid.Audit;
using EpiGrid.Geography;
using EpiGrid.Grains.Cells;
using EpiGrid.Grains.People;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using Marten;
using Marten.Linq.MatchesSql;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.History;

/// <summary>
/// Transmission chains, clusters and the cases with no known source (issue 16), read from the case register (indexed on
/// the infecting case and the cluster) and the contacts recorded on persons' streams. Case ids are a county's own: a case
/// names its source by id, which is the case of that id in its own county, or else the only case of that id in the province.
/// </summary>
public sealed class CaseChains(IDocumentStore store, IEventHistory history, Province province)
{
    /// <summary>Bounds a chain's reading (an outbreak's tree can be large; a cycle of bad reports must end).</summary>
    public const int MaxUpstream = 100, MaxDownstream = 2_000;

    /// <summary>
    /// A case's chain: live from the case register, or (with <paramref name="moment"/>) as it was known then, from the events
    /// alone: every cell's case events as of the moment folded with the live <see cref="CellState"/>, and the contacts recorded
    /// by then (auditors: what the investigators could see).
    /// </summary>
    public async Task<CaseChain?> Chain(string county, string caseId, Moment? moment, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        ICaseSource cases = moment is { } m ? await CasesAsOf(m, cancellationToken) : new RegisterCases(session);
        if (await cases.Load(county, caseId, cancellationToken) is not { } start) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Id };
        var edges = new List<ChainEdge>();

        var ancestors = new List<CaseRecord>();
        for (var child = start; child.InfectedBy is { } source && ancestors.Count < MaxUpstream;)
        {
            if (await Resolve(cases, child.County, source, cancellationToken) is not { } parent || !seen.Add(parent.Id)) break;
            edges.Add(new ChainEdge(parent.Id, child.Id, "infected"));
            ancestors.Add(parent);
            child = parent;
        }

        var descendants = new List<CaseRecord>();
        for (var frontier = new List<CaseRecord> { start }; frontier.Count > 0 && descendants.Count < MaxDownstream;)
        {
            var named = await cases.InfectedByAny(frontier.Select(f => f.CaseId ?? f.Id).Distinct().ToArray(), cancellationToken);
            var next = new List<CaseRecord>();
            foreach (var child in named)
            {
                if (await Resolve(cases, child.County, child.InfectedBy!, cancellationToken) is not { } parent
                    || !frontier.Any(f => f.Id == parent.Id) || !seen.Add(child.Id)) continue;
                edges.Add(new ChainEdge(parent.Id, child.Id, "infected"));
                next.Add(child);
            }
            descendants.AddRange(next);
            frontier = next;
        }

        var (startCase, startCounty) = (start.CaseId ?? start.Id, start.County);
        var contacts = (await session.Events.QueryRawEventDataOnly<ContactRecorded>()
                .Where(c => c.CaseId == startCase && c.CaseCounty == startCounty).ToListAsync(cancellationToken))
            .Where(c => moment is not { } at || at.Includes(c))
            // A person named both as a close contact and as a contact's contact is shown as the closer one, at their last contact.
            .GroupBy(c => c.PersonRef).Select(g => g.OrderBy(c => c.Degree).ThenByDescending(c => c.Meta.OccurredAt).First())
            .Select(c => new ContactNode(c.PersonRef, c.MaskedId, c.CellId, c.County, c.Meta.OccurredAt, c.Setting, start.Id, c.Degree, c.ContactOf))
            .OrderBy(c => c.Degree).ThenBy(c => c.LastContactAt).ToList();
        edges.AddRange(contacts.Select(c => c.Degree > 1 && c.ContactOf is { } of
            ? new ChainEdge(of, c.PersonRef, "secondary-contact")
            : new ChainEdge(start.Id, c.PersonRef, "contact")));

        var masked = await MaskedIds(session, [start, .. ancestors, .. descendants], cancellationToken);
        return new CaseChain(Node(start, masked), ancestors.Select(a => Node(a, masked)).ToList(),
            descendants.Select(d => Node(d, masked)).ToList(), contacts, edges);
    }

    /// <summary>
    /// A page of a line list (issue 17): live, one query on the case register ordered by its key (county and case id) along
    /// the primary key, so paging never repeats nor skips a case while others are reported; as of a moment, the province's
    /// cases folded from the cells' events (as a chain as of a moment reads them), filtered and ordered (ordinally) in memory.
    /// </summary>
    public async Task<CaseListPage> Cases(CaseListQuery query, Moment? moment, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        List<CaseRecord> found;
        if (moment is { } m)
            found = (await AllAsOf(query.County, m, cancellationToken))
                .Where(c => query.Matches(c.Id, c.County, c.ToFact()))
                .OrderBy(c => c.Id, StringComparer.Ordinal).Take(query.Limit + 1).ToList();
        else
        {
            var cases = session.Query<CaseRecord>().AsQueryable();
            if (query.County is { } county) cases = cases.Where(c => c.County == county);
            if (query.Kind is { } kind) cases = cases.Where(c => c.Kind == kind);
            if (query.Status is { } status) cases = cases.Where(c => c.Status == status);
            if (query.From is { } from) cases = cases.Where(c => c.OccurredAt >= from);
            if (query.To is { } to) cases = cases.Where(c => c.OccurredAt <= to);
            if (query.CellId is { } cell) cases = cases.Where(c => c.CellId == cell);
            if (query.ClusterId is { } cluster) cases = cases.Where(c => c.ClusterId == cluster);
            if (query.Linked == true) cases = cases.Where(c => c.InfectedBy != null || c.ClusterId != null);
            if (query.Linked == false) cases = cases.Where(c => c.InfectedBy == null && c.ClusterId == null);
            // The cursor and the order compare keys the same way (the database's collation), along the primary key's index.
            if (query.After is { } after) cases = cases.Where(c => c.MatchesSql("d.id > ?", after));
            found = (await cases.OrderBy(c => c.Id).Take(query.Limit + 1).ToListAsync(cancellationToken)).ToList();
        }
        var page = found.Take(query.Limit).ToList();
        var masked = await MaskedIds(session, page, cancellationToken);
        return new CaseListPage(page.Select(c => Line(c, masked)).ToList(), found.Count > query.Limit ? page[^1].Id : null);
    }

    static CaseLine Line(CaseRecord r, IReadOnlyDictionary<string, string> masked)
    {
        var c = r.ToFact();
        return new(c.CaseId, r.County, c.CellId, c.Kind.Name(), c.Status.Name(), c.Local, c.OccurredAt, c.StatusAt, c.ClusterId, c.InfectedBy,
            c.Linked, r.PersonRef is { } p ? masked.GetValueOrDefault(p) : null, c.OnsetAt);
    }

    /// <summary>Every case of the province as of the moment, from the cells' events (as a replay reads them).</summary>
    async Task<ICaseSource> CasesAsOf(Moment moment, CancellationToken cancellationToken) => new CasesInMemory(await AllAsOf(null, moment, cancellationToken));

    /// <summary>The cases of a county (null: of the province) as of the moment, folded from their cells' events.</summary>
    public async Task<List<CaseRecord>> AllAsOf(string? county, Moment moment, CancellationToken cancellationToken)
    {
        var cells = new Dictionary<string, CellState>(StringComparer.Ordinal);
        await foreach (var e in history.CountyInputs(county, cancellationToken))
        {
            if (e.Data is null || !moment.Includes(e.Data) || StreamKeys.IdOf(e.Stream, StreamKind.Cell) is not { } cellId) continue;
            if (!cells.TryGetValue(cellId, out var state)) cells[cellId] = state = new CellState(cellId);
            state.Apply(e.Data, e.Version);
        }
        return cells.Values.SelectMany(CellWrites.CaseRecordsOf).ToList();
    }

    public async Task<ClusterView?> Cluster(string clusterId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var cases = await session.Query<CaseRecord>().Where(c => c.ClusterId == clusterId).ToListAsync(cancellationToken);
        if (cases.Count == 0) return null;
        var masked = await MaskedIds(session, cases, cancellationToken);
        return new ClusterView(clusterId, cases.OrderBy(c => c.OccurredAt).Select(c => Node(c, masked)).ToList(),
            cases.Select(c => c.CellId).Distinct().Order(StringComparer.Ordinal).ToList(),
            cases.Select(c => c.County).Distinct().Order(StringComparer.Ordinal).ToList(),
            cases.Min(c => c.OccurredAt), cases.Max(c => c.OccurredAt));
    }

    public async Task<IReadOnlyList<CaseNode>> Unlinked(string county, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The same 14 local days as "new in the last 14 days" (CountyIndicators): a case of day D counts on days D..D+13.
        var offset = province.Options.UtcOffset;
        var from = now.LocalDay(offset).AddDays(1 - EpiGrid.Counties.Rules.CountyIndicators.WindowDays).Start(offset);
        await using var session = store.QuerySession();
        var cases = await session.Query<CaseRecord>()
            .Where(c => c.County == county && c.InfectedBy == null && c.ClusterId == null && c.Status != CaseStatus.RuledOut
                        && c.OccurredAt >= from && c.OccurredAt <= now)
            .OrderByDescending(c => c.OccurredAt).ToListAsync(cancellationToken);
        var masked = await MaskedIds(session, cases, cancellationToken);
        return cases.Select(c => Node(c, masked)).ToList();
    }

    /// <summary>The case a case of <paramref name="county"/> names as its source: that county's, else the province's only one.</summary>
    static async Task<CaseRecord?> Resolve(ICaseSource cases, string county, string caseId, CancellationToken cancellationToken)
    {
        if (await cases.Load(county, caseId, cancellationToken) is { } own) return own;
        var elsewhere = await cases.WithId(caseId, cancellationToken);
        return elsewhere.Count == 1 ? elsewhere[0] : null;
    }

    /// <summary>Where a chain's cases are read from: the register (live), or the cases as of a moment.</summary>
    interface ICaseSource
    {
        Task<CaseRecord?> Load(string county, string caseId, CancellationToken cancellationToken);
        /// <summary>Cases of that id in any county (at most two: one is enough to know it is not the only one).</summary>
        Task<IReadOnlyList<CaseRecord>> WithId(string caseId, CancellationToken cancellationToken);
        Task<IReadOnlyList<CaseRecord>> InfectedByAny(string[] caseIds, CancellationToken cancellationToken);
    }

    sealed class RegisterCases(IQuerySession session) : ICaseSource
    {
        public Task<CaseRecord?> Load(string county, string caseId, CancellationToken cancellationToken) =>
            session.LoadAsync<CaseRecord>(CaseRecord.IdOf(county, caseId), cancellationToken);

        public async Task<IReadOnlyList<CaseRecord>> WithId(string caseId, CancellationToken cancellationToken) =>
            await session.Query<CaseRecord>().Where(c => c.CaseId == caseId).Take(2).ToListAsync(cancellationToken);

        public async Task<IReadOnlyList<CaseRecord>> InfectedByAny(string[] caseIds, CancellationToken cancellationToken) =>
            await session.Query<CaseRecord>().Where(c => c.InfectedBy.IsOneOf(caseIds)).ToListAsync(cancellationToken);
    }

    sealed class CasesInMemory(IReadOnlyList<CaseRecord> all) : ICaseSource
    {
        readonly Dictionary<string, CaseRecord> byKey = all.ToDictionary(c => c.Id, StringComparer.Ordinal);
        readonly ILookup<string, CaseRecord> byId = all.ToLookup(c => c.CaseId ?? c.Id, StringComparer.Ordinal);
        readonly ILookup<string, CaseRecord> bySource = all.Where(c => c.InfectedBy is not null).ToLookup(c => c.InfectedBy!, StringComparer.Ordinal);

        public Task<CaseRecord?> Load(string county, string caseId, CancellationToken cancellationToken) =>
            Task.FromResult(byKey.GetValueOrDefault(CaseRecord.IdOf(county, caseId)));

        public Task<IReadOnlyList<CaseRecord>> WithId(string caseId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CaseRecord>>(byId[caseId].Take(2).ToList());

        public Task<IReadOnlyList<CaseRecord>> InfectedByAny(string[] caseIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CaseRecord>>(caseIds.SelectMany(id => bySource[id]).ToList());
    }

    static async Task<IReadOnlyDictionary<string, string>> MaskedIds(IQuerySession session, IReadOnlyCollection<CaseRecord> cases, CancellationToken cancellationToken)
    {
        var persons = cases.Select(c => c.PersonRef).OfType<string>().Distinct().ToArray();
        if (persons.Length == 0) return new Dictionary<string, string>();
        return (await session.LoadManyAsync<PersonRecord>(cancellationToken, persons)).ToDictionary(p => p.Id, p => p.MaskedId);
    }

    static CaseNode Node(CaseRecord r, IReadOnlyDictionary<string, string> masked) =>
        new(r.Id, r.CaseId ?? r.Id, r.County, r.CellId, r.Kind.Name(), r.Status.Name(), r.OccurredAt, r.ClusterId, r.InfectedBy,
            r.PersonRef is { } p ? masked.GetValueOrDefault(p) : null);
}
