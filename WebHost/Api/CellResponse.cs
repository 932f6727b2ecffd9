namespace EpiGrid.WebHost.Api;

/// <summary>A cell as the API shows it: case kinds and statuses by their wire names.</summary>
public sealed record CellResponse(
    string CellId, string County, string Name, int Households, long Version,
    IReadOnlyList<CaseResponse> Cases, IReadOnlyList<TravellerView> Travellers)
{
    public static CellResponse From(CellView view) => new(
        view.CellId, view.County, view.Name, view.Households, view.Version,
        view.Cases.Select(CaseResponse.From).ToList(), view.Travellers);
}

public sealed record CaseResponse(
    string CaseId, string Kind, string Status, bool Local, string? ClusterId, DateTimeOffset OccurredAt, long Version)
{
    public static CaseResponse From(CaseFact fact) => new(
        fact.CaseId, fact.Kind.Name(), fact.Status.Name(), fact.Local, fact.ClusterId, fact.OccurredAt, fact.Version);
}
