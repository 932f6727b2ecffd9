using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// A case named by its id alone (/cases/{caseId}/...): case ids are a county's own, so one id may name cases in several
/// counties; <c>?county=</c> picks one. The one lookup of the contacts and chain endpoints.
/// </summary>
public static class CaseLookup
{
    public static async Task<(CaseLocation? Case, ProblemDetails? Problem)> Find(
        IClusterClient grains, Province province, string caseId, string? county, CancellationToken cancellationToken)
    {
        if (Fields.Id(new FieldErrors(), "caseId", caseId) is null) return (null, Problems.Invalid("caseId", "Must be a case id (letters, digits, - _ . :)."));
        if (county is not null && province.Find(county) is null) return (null, Problems.Invalid("county", $"There is no county {county}."));
        var found = (await grains.GetGrain<IHistoryGrain>(0).FindCase(caseId, cancellationToken)).Where(c => county is null || c.County == county).ToList();
        return found.Count switch
        {
            0 => (null, Problems.NotFound($"No case {caseId} on record{(county is null ? "" : $" in county {county}")}.", "caseId")),
            1 => (found[0], null),
            _ => (null, Problems.Invalid("county", $"Case id {caseId} is used in counties {string.Join(", ", found.Select(c => c.County))}: name one with ?county=.")),
        };
    }
}
