namespace EpiGrid.Grains.Storage;

// Registers are documents written in the same transaction as the events they follow, so they are never
// ahead of or behind the history. They let a county reconcile with one indexed query instead of reading
// every cell's stream. They can always be rebuilt from the events.

/// <summary>The latest fact of one case. Id = case id, unique across the province.</summary>
public sealed class CaseRecord
{
    public string Id { get; set; } = "";
    public string CellId { get; set; } = "";
    public string County { get; set; } = "";
    public CaseKind Kind { get; set; }
    public bool Local { get; set; }
    public string? ClusterId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public CaseStatus Status { get; set; }
    public long Version { get; set; }

    public static CaseRecord From(CaseFact f, string county) => new()
    {
        Id = f.CaseId, CellId = f.CellId, County = county, Kind = f.Kind, Local = f.Local, ClusterId = f.ClusterId,
        OccurredAt = f.OccurredAt, Status = f.Status, Version = f.Version,
    };

    public CaseFact ToFact() => new(Id, CellId, Kind, Local, ClusterId, OccurredAt, Status, Version);
}

/// <summary>A registered cell and its running tallies. Id = cell id.</summary>
public sealed class CellRecord
{
    public string Id { get; set; } = "";
    public string County { get; set; } = "";
    public string Name { get; set; } = "";
    public int Households { get; set; }
    public int Travellers { get; set; }
    public long Version { get; set; }
}
