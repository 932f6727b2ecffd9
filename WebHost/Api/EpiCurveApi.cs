using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;
using EpiGrid.Platform;

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
        const string Parameters = " from and to: local days (yyyy-MM-dd; default the last 28 days, to the day of asOf when given), by=report (default) or onset; asOf/knownAt: the curve as the events had it then (history readers).";
        api.MapGet("/counties/{code}/epicurve", County).WithTags("Line lists").WithName("getCountyEpiCurve")
            .WithSummary("The county's epidemic curve: new cases per day and kind, with 7-day means; cases ruled out are not counted." + Parameters)
            .Produces<EpiCurve>().ProducesProblems(400, 403, 404);
        api.MapGet("/province/epicurve", ProvinceCurve).WithTags("Line lists").WithName("getProvinceEpiCurve")
            .WithSummary("The province's epidemic curve." + Parameters).Produces<EpiCurve>().ProducesProblems(400, 403);
        return api;
    }

    static Task<IResult> County(string code, HttpContext http, IClusterClient grains, Province province, History history,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt) =>
        UnknownCounty(code, http, province) ?? Curve(code, http, grains, province, history, clock, asOf, knownAt);

    /// <summary>404 for a code that is no county of the province; null for a county.</summary>
    internal static Task<IResult>? UnknownCounty(string code, HttpContext http, Province province) =>
        province.Find(code) is null
            ? Task.FromResult<IResult>(Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http))
            : null;

    /// <summary>
    /// The curve's query, as /epicurve and /rt read it: the local days asked for (by default the 28 days to today, or to the
    /// day of asOf (knownAt) when the curve is asked as of a moment; with <paramref name="wholeDays"/>, to the day before it)
    /// and whether by onset; errors by field.
    /// </summary>
    internal static (DateOnly From, DateOnly To, bool ByOnset) ReadQuery(IQueryCollection query, Province province, DateTimeOffset now,
        DateTimeOffset? asOf, DateTimeOffset? knownAt, FieldErrors errors, bool wholeDays = false)
    {
        var today = Today(province, now, asOf, knownAt);
        var (from, to) = DayRange.Read(query, wholeDays ? today.AddDays(-1) : today, DefaultDays, MaxDays, errors);
        return (from, to, ByOnset(query, errors));
    }

    /// <summary>The local day of the moment asked for (asOf, else knownAt, else now; now when that moment cannot be replayed).</summary>
    internal static DateOnly Today(Province province, DateTimeOffset now, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var then = Moment.From(asOf, knownAt, now).AsOf;
        return province.LocalDay(Moment.Replayable(then, now) ? then : now);
    }

    /// <summary>Whether the query counts cases by the day of onset (by=onset) rather than of report (by=report, the default).</summary>
    internal static bool ByOnset(IQueryCollection query, FieldErrors errors)
    {
        var by = query["by"].ToString();
        if (by is not ("" or "report" or "onset")) errors.Add("by", "Must be report (the day the case was reported, the default) or onset (the day symptoms began).");
        return by == "onset";
    }

    static Task<IResult> ProvinceCurve(HttpContext http, IClusterClient grains, Province province, History history,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt) =>
        Curve(null, http, grains, province, history, clock, asOf, knownAt);

    static async Task<IResult> Curve(string? county, HttpContext http, IClusterClient grains, Province province, History history,
        TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!caller.MayReadCounties) return Problems.Forbidden($"Role '{caller.Role}' may not read the counties.").ToResult(http);
        var errors = new FieldErrors();
        var (from, to, byOnset) = ReadQuery(http.Request.Query, province, clock.GetUtcNow(), asOf, knownAt, errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        var (curve, refused) = await history.Read(http, county, "epicurve", asOf, knownAt,
            () => grains.GetGrain<IHistoryGrain>(0).EpiCurve(county, from, to, byOnset, null, http.RequestAborted),
            (replay, moment, ct) => replay.EpiCurve(county, from, to, byOnset, moment, ct));
        return refused is not null ? refused.ToResult(http) : TypedResults.Ok(curve);
    }
}
