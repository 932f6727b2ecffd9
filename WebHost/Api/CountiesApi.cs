using System.Text.RegularExpressions;
using EpiGrid.WebHost.Audit;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Provinces;

namespace EpiGrid.WebHost.Api;

/// <summary>Counties with their figures and colours: what the province map is drawn from.</summary>
public static partial class CountiesApi
{
    public static RouteGroupBuilder MapCountiesApi(this RouteGroupBuilder api)
    {
        var counties = api.MapGroup("/counties").WithTags("Counties");
        counties.MapGet("", List).WithName("listCounties").WithSummary("Every county of the province with its figures and colours.").ProducesProblems(403);
        counties.MapGet("/{code}", Get).WithName("getCounty")
            .WithSummary("One county, with the inputs of each colour and its busiest cells; asOf/knownAt replay it at a past moment.")
            .ProducesProblems(400, 403, 404);
        return api;
    }

    static async Task<Results<Ok<List<CountyResponse>>, ProblemHttpResult>> List(
        HttpContext http, IClusterClient grains, Province province, RuleBook rules)
    {
        if (!Jurisdiction.Of(http.User).MayReadCounties) return Problems.Forbidden("This role may not read counties.").ToResult(http);
        var view = await grains.GetGrain<IProvinceGrain>(0).GetView();
        return TypedResults.Ok(Join(province, view, rules).Select(c => CountyResponse.From(c.County, c.View, detailed: false)).ToList());
    }

    static async Task<Results<Ok<CountyResponse>, ProblemHttpResult>> Get(
        string code, HttpContext http, IClusterClient grains, Province province, MeasureTable measures,
        History history, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        if (!Jurisdiction.Of(http.User).MayReadCounties) return Problems.Forbidden("This role may not read counties.").ToResult(http);
        if (!CodePattern().IsMatch(code)) return Problems.Invalid("code", "Must be a 6-digit division code, e.g. 330782.").ToResult(http);
        if (province.Find(code) is not { } county) return Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http);
        var (view, notRead) = await history.Read(http, code, "county", asOf, knownAt,
            () => grains.GetGrain<ICountyGrain>(code).GetView(), (replay, moment, ct) => replay.County(code, moment, ct));
        if (notRead is not null) return notRead.ToResult(http);
        return TypedResults.Ok(CountyResponse.From(county, view!, detailed: true, measures));
    }

    /// <summary>
    /// Every county of the geography, in its order, with its live view. A county the province has not heard
    /// from yet has no cases, so its colours are what the rules say about no cases.
    /// </summary>
    public static IEnumerable<(County County, CountyView View)> Join(Province province, ProvinceView view, RuleBook rules)
    {
        var views = view.Counties.ToDictionary(c => c.Code, StringComparer.Ordinal);
        foreach (var county in province.Counties)
            yield return (county, views.GetValueOrDefault(county.Code)
                ?? CountyProjection.View(county, [], 0, view.EvaluatedAt, province.Options.UtcOffset, rules));
    }

    [GeneratedRegex(@"^\d{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
