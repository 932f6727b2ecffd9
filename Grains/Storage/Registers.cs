using EpiGrid.Cells;
using EpiGrid.Counties;

namespace EpiGrid.Grains.Storage;

// Registers are documents written in the same transaction as the events they follow, so they are never
// ahead of or behind the history. They let a county reconcile with one indexed query instead of reading
// every cell's stream. They can always be rebuilt from the events (RegisterRebuild, `epigrid rebuild-registers`).

/// <summary>
/// The latest fact of one case. Id = county and case id (<see cref="IdOf"/>): a case id is unique within its county,
/// not across the province. Issue 14: with province-wide ids, the 409 for an id "already recorded in another cell"
/// told a grid worker anywhere which case ids other counties hold. Our choice (a county numbers its own cases): the
/// same id in another county is another county's case, so reporting it reveals nothing; within a county the clash
/// is still refused. Records written before have Id = case id and no <see cref="CaseId"/>; they still read back.
/// </summary>
public sealed class CaseRecord
{
    public string Id { get; set; } = "";
    /// <summary>The case id as reported (null in records written before ids were scoped by county: Id is it).</summary>
    public string? CaseId { get; set; }
    public string CellId { get; set; } = "";
    public string County { get; set; } = "";
    public CaseKind Kind { get; set; }
    public bool Local { get; set; }
    public string? ClusterId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public CaseStatus Status { get; set; }
    /// <summary>When in the world the status last changed (null: as reported, or a record from before it was kept).</summary>
    public DateTimeOffset? StatusAt { get; set; }
    public long Version { get; set; }
    /// <summary>The case that infected this one, when known (issue 16).</summary>
    public string? InfectedBy { get; set; }
    /// <summary>The person the case is, when a report named one (their keyed reference).</summary>
    public string? PersonRef { get; set; }
    /// <summary>When the symptoms began, when the report gave it (issue 17).</summary>
    public DateTimeOffset? OnsetAt { get; set; }

    public static CaseRecord From(CaseFact f, string county, string? personRef = null) => new()
    {
        Id = IdOf(county, f.CaseId), CaseId = f.CaseId, CellId = f.CellId, County = county, Kind = f.Kind, Local = f.Local, ClusterId = f.ClusterId,
        OccurredAt = f.OccurredAt, Status = f.Status, StatusAt = f.StatusAt, Version = f.Version, InfectedBy = f.InfectedBy, PersonRef = personRef,
        OnsetAt = f.OnsetAt,
    };

    public static string IdOf(string county, string caseId) => county + ":" + caseId;

    public CaseFact ToFact() => new(CaseId ?? Id, CellId, Kind, Local, ClusterId, OccurredAt, Status, Version, StatusAt, InfectedBy, OnsetAt);
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
    /// <summary>The control last decided (a lifted one included), for counties to count closed and controlled cells.</summary>
    public CellControl? Control { get; set; }

    public CellTally ToTally() => new(Id, Version, Travellers, Control);
}
