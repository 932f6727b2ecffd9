using EpiGrid.Platform;

namespace EpiGrid.Cells;

/// <summary>A grid cell's state, folded from its events. Pure: used by the live grain and by replay alike.</summary>
public sealed class CellState(string cellId)
{
    readonly Dictionary<string, CaseFact> cases = new(StringComparer.Ordinal);
    readonly Dictionary<string, TravellerView> travellers = new(StringComparer.Ordinal);
    // Every status recorded for a case, with when it occurred: a late report of an earlier status changes no fact, so
    // only this tells its repeat from a new report. A few entries a case; none for most.
    readonly Dictionary<string, HashSet<(CaseStatus Status, DateTimeOffset At)>> statusReports = new(StringComparer.Ordinal);
    // The person each case is, when a report named one (issue 16). Kept beside the facts: counties and views need no person.
    readonly Dictionary<string, string> casePersons = new(StringComparer.Ordinal);
    // The visits that named no person (issue 19), in the order recorded: a few a cell.
    readonly List<EpiGrid.People.VisitRecorded> visits = [];

    public string CellId { get; } = cellId;
    public string County { get; private set; } = cellId.Length >= 6 ? cellId[..6] : "";
    public string Name { get; private set; } = "";
    public int Households { get; private set; }
    public bool Registered { get; private set; }
    /// <summary>Position of the last applied event in the cell's stream (0: no events).</summary>
    public long Version { get; private set; }
    public IReadOnlyDictionary<string, CaseFact> Cases => cases;
    public IReadOnlyDictionary<string, TravellerView> Travellers => travellers;
    /// <summary>The last control decided for the cell (a lifted one included); null: never controlled.</summary>
    public CellControl? Control { get; private set; }
    /// <summary>The cell's own visits (those that named no person), in the order recorded.</summary>
    public IReadOnlyList<EpiGrid.People.VisitRecorded> Visits => visits;

    public CellState Clone()
    {
        var copy = new CellState(CellId)
        {
            County = County, Name = Name, Households = Households, Registered = Registered, Version = Version, Control = Control,
        };
        foreach (var (id, fact) in cases) copy.cases[id] = fact;
        foreach (var (id, traveller) in travellers) copy.travellers[id] = traveller;
        foreach (var (id, reports) in statusReports) copy.statusReports[id] = [.. reports];
        foreach (var (id, person) in casePersons) copy.casePersons[id] = person;
        copy.visits.AddRange(visits);
        return copy;
    }

    /// <summary>The person a case is, if a report named one.</summary>
    public string? PersonOf(string caseId) => casePersons.GetValueOrDefault(caseId);

    /// <summary>Whether this status, occurring at this moment, was recorded for the case before.</summary>
    public bool HasStatusReport(string caseId, CaseStatus status, DateTimeOffset occurredAt) =>
        statusReports.TryGetValue(caseId, out var reports) && reports.Contains((status, occurredAt));

    public void Apply(object @event, long version)
    {
        switch (@event)
        {
            case CellRegistered e:
                (County, Name, Households, Registered) = (e.County, e.Name, e.Households, true);
                break;
            case CellDetailsChanged e:
                (Name, Households) = (e.Name, e.Households);
                break;
            case CaseReported e:
                cases[e.CaseId] = new CaseFact(e.CaseId, CellId, e.Kind, e.Local, e.ClusterId, e.Meta.OccurredAt,
                    CaseStatus.Active, version, InfectedBy: e.InfectedBy, OnsetAt: e.OnsetAt);
                if (e.PersonRef is { } person) casePersons[e.CaseId] = person;
                break;
            case CasePersonLinked e:
                casePersons[e.CaseId] = e.PersonRef;
                break;
            case CaseStatusChanged e when cases.TryGetValue(e.CaseId, out var fact):
                if (!statusReports.TryGetValue(e.CaseId, out var reports)) statusReports[e.CaseId] = reports = [];
                reports.Add((e.To, e.Meta.OccurredAt));
                // A status reported late, that occurred before the one held, is history, not the present: the latest in
                // the world wins, as when the events are replayed in the order they occurred (found by
                // CountyProjectionPropertyTests: the live county counted a late "active" over an earlier-reported recovery).
                cases[e.CaseId] = e.Meta.OccurredAt < (fact.StatusAt ?? fact.OccurredAt)
                    ? fact with { Version = version }
                    : fact with { Status = e.To, StatusAt = e.Meta.OccurredAt, Version = version };
                break;
            case TravellerArrived e:
                travellers[e.TravellerId] = new TravellerView(e.TravellerId, e.OriginArea, e.OriginRisk,
                    e.Meta.OccurredAt, e.Mode, e.Quarantine);
                break;
            case EpiGrid.People.VisitRecorded e:
                visits.Add(e);
                break;
            case CellControlChanged e:
                Control = new CellControl(e.Level, e.Meta.Reason ?? "", e.Meta.OccurredAt, e.Until, e.Meta.Actor, e.Revision);
                break;
        }
        Version = version;
    }

    /// <summary>
    /// What the county hears of a commit that brought <paramref name="before"/> to this state: the facts of the cases the
    /// events touched, as they stand now and as they stood before, the travellers' tally and the control
    /// (<see cref="CountyCaseBook.Apply"/>).
    /// </summary>
    public CellChanged Changed(CellState before, IEnumerable<IEpiEvent> events)
    {
        var ids = events.Select(CaseIdOf).OfType<string>().Distinct().ToList();
        return new(CellId, Version, ids.Select(id => cases[id]).ToList(), travellers.Count, before.Version, Control,
            ids.Select(id => before.cases.GetValueOrDefault(id)).ToList());
    }

    /// <summary>The case an event is about, if any.</summary>
    public static string? CaseIdOf(IEpiEvent e) => e switch
    {
        CaseReported r => r.CaseId,
        CaseStatusChanged s => s.CaseId,
        // Not a new fact for the county, but the case's register row gains the person.
        CasePersonLinked l => l.CaseId,
        _ => null,
    };

    /// <summary>The cell as it stands at <paramref name="at"/>: a control lifted or lapsed by then is not shown.</summary>
    public CellView ToView(DateTimeOffset at) =>
        new(CellId, County, Name, Households, Version,
            cases.Values.OrderBy(c => c.OccurredAt).ToList(),
            travellers.Values.OrderBy(t => t.ArrivedAt).ToList(),
            Control is { } control && control.InForceAt(at) ? control : null);
}
