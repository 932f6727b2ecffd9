using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// Epidemic curves (issue 17): new cases per local day and kind, with each kind's 7-day mean, of a county or the province, by
/// the day they were reported or the day their symptoms began (cases reported with <c>onsetAt</c>). Counts only, no person:
/// every role that reads the counties reads them.
/// </summary>
public static class EpiCurveApi
{
    public const int DefaultDays = 28, MaxDays = 366;

    public static RouteGroupBuilder MapEpiCurveApi(this RouteGroupBuilder api)
    {
        const string Parameters = " from and to: local days (yyyy-MM-dd; default the last 28 days), by=report (default) or onset.";
        api.MapGet("/counties/{code}/epicurve", County).WithTags("Line lists").WithName("getCountyEpiCurve")
            .WithSummary("The county's epidemic curve: new cases per day and kind, with 7-day means; cases ruled out are not counted." + Parameters)
            .Produces<EpiCurve>().ProducesProblems(400, 403, 404);
        api.MapGet("/province/epicurve", ProvinceCurve).WithTags("Line lists").WithName("getProvinceEpiCurve")
            .WithSummary("The province's epidemic curve." + Parameters).Produces<EpiCurve>().ProducesProblems(400, 403);
        return api;
    }

    static Task<IResult> County(string code, HttpContext http, IClusterClient grains, Province province, [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        UnknownCounty(code, http, province) ?? Curve(code, http, grains, province, clock);

    /// <summary>404 for a code that is no county of the province; null for a county.</summary>
    internal static Task<IResult>? UnknownCounty(string code, HttpContext http, Province province) =>
        province.Find(code) is null
            ? Task.FromResult<IResult>(Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http))
            : null;

    /// <summary>The curve's query, as /epicurve and /rt read it: the local days asked for and whether by onset; errors by field.</summary>
    internal static (DateOnly From, DateOnly To, bool ByOnset) ReadQuery(IQueryCollection query, DateOnly today, FieldErrors errors)
    {
        var (from, to) = DayRange.Read(query, today, DefaultDays, MaxDays, errors);
        var by = query["by"].ToString();
        if (by is not ("" or "report" or "onset")) errors.Add("by", "Must be report (the day the case was reported, the default) or onset (the day symptoms began).");
        return (from, to, by == "onset");
    }

    static Task<IResult> ProvinceCurve(HttpContext http, IClusterClient grains, Province province, [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        Curve(null, http, grains, province, clock);

    static async Task<IResult> Curve(string? county, HttpContext http, IClusterClient grains, Province province, TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!caller.MayReadCounties) return Problems.Forbidden($"Role '{caller.Role}' may not read the counties.").ToResult(http);
        var query = http.Request.Query;
        var errors = new FieldErrors();
        var (from, to, byOnset) = ReadQuery(query, province.LocalDay(clock.GetUtcNow()), errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        return TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0).EpiCurve(county, from, to, byOnset, http.RequestAborted));
    }
}
