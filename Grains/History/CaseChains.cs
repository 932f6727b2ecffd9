using EpiGrid.Geography;
using EpiGrid.Grains.People;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using Marten;

namespace EpiGrid.Grains.History;

/// <summary>
/// Transmission chains, clusters and the cases with no known source (issue 16), read from the case register (indexed on
/// the infecting case and the cluster) and the contacts recorded on persons' streams. Case ids are a county's own: a case
/// names its source by id, which is the case of that id in its own county, or else the only case of that id in the province.
/// </summary>
public sealed class CaseChains(IDocumentStore store, Province province)
{
    /// <summary>Bounds a chain's reading (an outbreak's tree can be large; a cycle of bad reports must end).</summary>
    public const int MaxUpstream = 100, MaxDownstream = 2_000;

    public async Task<CaseChain?> Chain(string county, string caseId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        if (await Load(session, county, caseId, cancellationToken) is not { } start) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Id };
        var edges = new List<ChainEdge>();

        var ancestors = new List<CaseRecord>();
        for (var child = start; child.InfectedBy is { } source && ancestors.Count < MaxUpstream;)
        {
            if (await Resolve(session, child.County, source, cancellationToken) is not { } parent || !seen.Add(parent.Id)) break;
            edges.Add(new ChainEdge(parent.Id, child.Id, "infected"));
            ancestors.Add(parent);
            child = parent;
        }

        var descendants = new List<CaseRecord>();
        for (var frontier = new List<CaseRecord> { start }; frontier.Count > 0 && descendants.Count < MaxDownstream;)
        {
            var ids = frontier.Select(f => f.CaseId ?? f.Id).Distinct().ToArray();
            var named = await session.Query<CaseRecord>().Where(c => c.InfectedBy.IsOneOf(ids)).ToListAsync(cancellationToken);
            var next = new List<CaseRecord>();
            foreach (var child in named)
            {
                if (await Resolve(session, child.County, child.InfectedBy!, cancellationToken) is not { } parent
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
        var from = new DateTimeOffset(now.LocalDay(offset).AddDays(1 - EpiGrid.Rules.CountyIndicators.WindowDays).ToDateTime(TimeOnly.MinValue), offset);
        await using var session = store.QuerySession();
        var cases = await session.Query<CaseRecord>()
            .Where(c => c.County == county && c.InfectedBy == null && c.ClusterId == null && c.Status != CaseStatus.RuledOut
                        && c.OccurredAt >= from && c.OccurredAt <= now)
            .OrderByDescending(c => c.OccurredAt).ToListAsync(cancellationToken);
        var masked = await MaskedIds(session, cases, cancellationToken);
        return cases.Select(c => Node(c, masked)).ToList();
    }

    static Task<CaseRecord?> Load(IQuerySession session, string county, string caseId, CancellationToken cancellationToken) =>
        session.LoadAsync<CaseRecord>(CaseRecord.IdOf(county, caseId), cancellationToken);

    /// <summary>The case a case of <paramref name="county"/> names as its source: that county's, else the province's only one.</summary>
    static async Task<CaseRecord?> Resolve(IQuerySession session, string county, string caseId, CancellationToken cancellationToken)
    {
        if (await Load(session, county, caseId, cancellationToken) is { } own) return own;
        var elsewhere = await session.Query<CaseRecord>().Where(c => c.CaseId == caseId).Take(2).ToListAsync(cancellationToken);
        return elsewhere.Count == 1 ? elsewhere[0] : null;
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
