using Microsoft.Extensions.Options;
using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>Configuration of the reproduction number (section "Rt"): the serial interval and where its figures come from.</summary>
public sealed record RtOptions
{
    public const string Section = "Rt";
    public double SerialIntervalMean { get; init; } = SerialInterval.Covid19.Mean;
    public double SerialIntervalSd { get; init; } = SerialInterval.Covid19.Sd;
    public string SerialIntervalSource { get; init; } = SerialInterval.Covid19.Source;

    public SerialInterval SerialInterval => new(SerialIntervalMean, SerialIntervalSd, SerialIntervalSource);
}

/// <summary>One county's Rt over the window ending on the ranking's day.</summary>
/// <param name="Cases">Confirmed cases in the window.</param>
public sealed record RtCountyItem(string County, string NameZh, string NameEn, int Cases, double Mean, double Lower, double Upper);

/// <param name="Items">The counties with enough cases for an estimate, highest Rt first.</param>
/// <param name="WithoutEstimate">Counties with too few cases in the window for an estimate (not ranked).</param>
public sealed record RtRankingResponse(
    DateOnly Day, string By, SerialIntervalResponse SerialInterval, int Window, string RuleVersion, int MinCases,
    IReadOnlyList<RtCountyItem> Items, int WithoutEstimate);

public sealed record SerialIntervalResponse(double Mean, double Sd, string Source);

public sealed record PriorResponse(double Mean, double Sd);

/// <param name="RuleVersion">The method's version and the serial interval it used.</param>
/// <param name="MinCases">Cases a window needs for an estimate (posterior coefficient of variation at most 0.3).</param>
/// <param name="Projection">Expected new cases of the next 7 days at the latest Rt: a projection of the trend, not a forecast.</param>
public sealed record RtResponse(
    string? County, string By, SerialIntervalResponse SerialInterval, int Window, string RuleVersion, PriorResponse Prior, int MinCases,
    IReadOnlyList<RtDay> Items, IReadOnlyList<RtProjectionDay> Projection);

/// <summary>
/// The time-varying reproduction number (issue 21) of a county or the province, from the confirmed cases of its epidemic
/// curve (the same counts as <c>/epicurve</c> with the same <c>by</c>), by <see cref="ReproductionNumber"/>.
/// </summary>
public static class RtApi
{
    public const int MaxWindow = 28;
    /// <summary>Days of incidence read before <c>from</c>: the serial interval's weight on them is negligible after this.</summary>
    public const int History = 60;

    public static RouteGroupBuilder MapRtApi(this RouteGroupBuilder api)
    {
        const string Moments = " asOf/knownAt: as the events had the cases then (history readers).";
        const string Parameters = " from and to: local days (default the 28 days to yesterday, the last whole day); by=report (default) or onset; window: days (2-28, default 7)." + Moments;
        api.MapGet("/counties/{code}/rt", County).WithTags("Line lists").WithName("getCountyRt")
            .WithSummary("The county's reproduction number Rt per day (Cori et al. 2013, as EpiEstim), with a 95 % interval and a 7-day projection." + Parameters)
            .Produces<RtResponse>().ProducesProblems(400, 403, 404);
        api.MapGet("/province/rt", ProvinceRt).WithTags("Line lists").WithName("getProvinceRt")
            .WithSummary("The province's reproduction number Rt per day." + Parameters).Produces<RtResponse>().ProducesProblems(400, 403);
        api.MapGet("/province/rt/counties", Ranking).WithTags("Line lists").WithName("getCountiesByRt")
            .WithSummary("The counties ranked by their Rt on one day (highest first), those with enough cases for an estimate; day: a local day (default yesterday, the last whole day); by and window as for /rt." + Moments)
            .Produces<RtRankingResponse>().ProducesProblems(400, 403);
        return api;
    }

    static Task<IResult> County(string code, HttpContext http, IClusterClient grains, Province province, History history, IOptions<RtOptions> options,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt) =>
        EpiCurveApi.UnknownCounty(code, http, province) ?? Rt(code, http, grains, province, history, options.Value, clock, asOf, knownAt);

    static Task<IResult> ProvinceRt(HttpContext http, IClusterClient grains, Province province, History history, IOptions<RtOptions> options,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt) =>
        Rt(null, http, grains, province, history, options.Value, clock, asOf, knownAt);

    static async Task<IResult> Rt(string? county, HttpContext http, IClusterClient grains, Province province, History history, RtOptions options,
        TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!caller.MayReadCounties) return Problems.Forbidden($"Role '{caller.Role}' may not read the counties.").ToResult(http);
        var errors = new FieldErrors();
        // To yesterday by default: today's count is still growing, and a part of a day reads as a fall in Rt.
        var (from, to, byOnset) = EpiCurveApi.ReadQuery(http.Request.Query, province, clock.GetUtcNow(), asOf, knownAt, errors, wholeDays: true);
        var window = Window(http.Request.Query, errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);

        // The incidence is the epidemic curve's, live or as of the moment, from History days before from.
        var first = from.AddDays(-History);
        var (curve, refused) = await history.Read(http, county, "rt", asOf, knownAt,
            () => grains.GetGrain<IHistoryGrain>(0).EpiCurve(county, first, to, byOnset, null, http.RequestAborted),
            (replay, moment, ct) => replay.EpiCurve(county, first, to, byOnset, moment, ct));
        if (refused is not null) return refused.ToResult(http);
        var incidence = curve!.Days.Select(d => d.Confirmed).ToList();
        var si = options.SerialInterval;
        var posteriors = ReproductionNumber.Posteriors(incidence, si, window);
        var items = ReproductionNumber.Days(first, posteriors).Where(d => d.Day >= from).ToList();
        var projection = ReproductionNumber.Project(first, incidence, si, posteriors.LastOrDefault());
        return TypedResults.Ok(new RtResponse(county, curve.By, new SerialIntervalResponse(si.Mean, si.Sd, si.Source), window,
            ReproductionNumber.VersionOf(si), new PriorResponse(ReproductionNumber.PriorMean, ReproductionNumber.PriorSd), ReproductionNumber.MinCases,
            items, projection));
    }

    /// <summary>The counties ranked by Rt on one day: one read of every county's incidence, each estimated as /counties/{code}/rt would.</summary>
    static async Task<IResult> Ranking(HttpContext http, IClusterClient grains, Province province, History history, IOptions<RtOptions> options,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!caller.MayReadCounties) return Problems.Forbidden($"Role '{caller.Role}' may not read the counties.").ToResult(http);
        var query = http.Request.Query;
        var errors = new FieldErrors();
        // Yesterday by default: today's count is still growing, and a part of a day reads as a fall.
        var day = DayRange.Day(query, "day", errors) ?? EpiCurveApi.Today(province, clock.GetUtcNow(), asOf, knownAt).AddDays(-1);
        var byOnset = EpiCurveApi.ByOnset(query, errors);
        var window = Window(query, errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);

        var first = day.AddDays(-History);
        var (counties, refused) = await history.Read(http, null, "rt-ranking", asOf, knownAt,
            () => grains.GetGrain<IHistoryGrain>(0).ConfirmedByCounty(first, day, byOnset, null, http.RequestAborted),
            (replay, moment, ct) => replay.ConfirmedByCounty(first, day, byOnset, moment, ct));
        if (refused is not null) return refused.ToResult(http);
        var si = options.Value.SerialInterval;
        var ranked = new List<RtCountyItem>();
        foreach (var c in counties!)
        {
            if (province.Find(c.County) is not { } known) continue;
            var last = ReproductionNumber.Posteriors(c.Confirmed, si, window).LastOrDefault();
            if (last is null || ReproductionNumber.Days(first, [last])[0] is not { Mean: not null } estimate) continue;
            ranked.Add(new RtCountyItem(known.Code, known.NameZh, known.NameEn, estimate.Cases, estimate.Mean.Value, estimate.Lower!.Value, estimate.Upper!.Value));
        }
        ranked.Sort((a, b) => b.Mean.CompareTo(a.Mean) is var byMean and not 0 ? byMean : string.CompareOrdinal(a.County, b.County));
        return TypedResults.Ok(new RtRankingResponse(day, byOnset ? "onset" : "report", new SerialIntervalResponse(si.Mean, si.Sd, si.Source), window,
            ReproductionNumber.VersionOf(si), ReproductionNumber.MinCases, ranked, province.Counties.Count - ranked.Count));
    }

    static int Window(IQueryCollection query, FieldErrors errors)
    {
        var window = ReproductionNumber.DefaultWindow;
        if (query["window"].Count > 0 && (!int.TryParse(query["window"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out window)
                                          || window is < 2 or > MaxWindow))
            errors.Add("window", $"Must be a whole number of days from 2 to {MaxWindow}.");
        return window;
    }
}
