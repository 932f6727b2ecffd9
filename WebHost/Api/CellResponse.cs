using EpiGrid.Cells;

namespace EpiGrid.WebHost.Api;

/// <summary>A cell as the API shows it: case kinds and statuses by their wire names.</summary>
public sealed record CellResponse(
    string CellId, string County, string Name, int Households, long Version,
    IReadOnlyList<CaseResponse> Cases, IReadOnlyList<TravellerView> Travellers, ControlResponse? Control)
{
    public static CellResponse From(CellView view) => new(
        view.CellId, view.County, view.Name, view.Households, view.Version,
        view.Cases.Select(CaseResponse.From).ToList(), view.Travellers, ControlResponse.From(view.Control));
}

/// <summary>The control in force over a cell (null when open): level, why, since when, until when (null: until lifted), by whom.</summary>
public sealed record ControlResponse(string Level, string Reason, DateTimeOffset Since, DateTimeOffset? Until, string By)
{
    public static ControlResponse? From(CellControl? control) =>
        control is null ? null : new(control.Level.Name(), control.Reason, control.Since, control.Until, control.By);
}

public sealed record CaseResponse(
    string CaseId, string Kind, string Status, bool Local, string? ClusterId, DateTimeOffset OccurredAt, long Version)
{
    public static CaseResponse From(CaseFact fact) => new(
        fact.CaseId, fact.Kind.Name(), fact.Status.Name(), fact.Local, fact.ClusterId, fact.OccurredAt, fact.Version);
}
