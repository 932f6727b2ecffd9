using EpiGrid.Contracts;
using EpiGrid.Events;

namespace EpiGrid.Domain;

/// <summary>A grid cell's state, folded from its events. Pure: used by the live grain and by replay alike.</summary>
public sealed class CellState(string cellId)
{
    readonly Dictionary<string, CaseFact> cases = new(StringComparer.Ordinal);
    readonly Dictionary<string, TravellerView> travellers = new(StringComparer.Ordinal);

    public string CellId { get; } = cellId;
    public string County { get; private set; } = cellId.Length >= 6 ? cellId[..6] : "";
    public string Name { get; private set; } = "";
    public int Households { get; private set; }
    public bool Registered { get; private set; }
    /// <summary>Position of the last applied event in the cell's stream (0: no events).</summary>
    public long Version { get; private set; }
    public IReadOnlyDictionary<string, CaseFact> Cases => cases;
    public IReadOnlyDictionary<string, TravellerView> Travellers => travellers;

    public CellState Clone()
    {
        var copy = new CellState(CellId)
        {
            County = County, Name = Name, Households = Households, Registered = Registered, Version = Version,
        };
        foreach (var (id, fact) in cases) copy.cases[id] = fact;
        foreach (var (id, traveller) in travellers) copy.travellers[id] = traveller;
        return copy;
    }

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
                    CaseStatus.Active, version);
                break;
            case CaseStatusChanged e when cases.TryGetValue(e.CaseId, out var fact):
                cases[e.CaseId] = fact with { Status = e.To, Version = version };
                break;
            case TravellerArrived e:
                travellers[e.TravellerId] = new TravellerView(e.TravellerId, e.OriginArea, e.OriginRisk,
                    e.Meta.OccurredAt, e.Mode, e.Quarantine);
                break;
        }
        Version = version;
    }

    public CellView ToView() =>
        new(CellId, County, Name, Households, Version,
            cases.Values.OrderBy(c => c.OccurredAt).ToList(),
            travellers.Values.OrderBy(t => t.ArrivedAt).ToList());
}
