using Microsoft.Extensions.Options;
using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;

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
        const string Parameters = " from and to: local days (default the last 28 days); by=report (default) or onset; window: days (2-28, default 7).";
        api.MapGet("/counties/{code}/rt", County).WithTags("Line lists").WithName("getCountyRt")
            .WithSummary("The county's reproduction number Rt per day (Cori et al. 2013, as EpiEstim), with a 95 % interval and a 7-day projection." + Parameters)
            .Produces<RtResponse>().ProducesProblems(400, 403, 404);
        api.MapGet("/province/rt", ProvinceRt).WithTags("Line lists").WithName("getProvinceRt")
            .WithSummary("The province's reproduction number Rt per day." + Parameters).Produces<RtResponse>().ProducesProblems(400, 403);
        return api;
    }

    static Task<IResult> County(string code, HttpContext http, IClusterClient grains, Province province, IOptions<RtOptions> options,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        EpiCurveApi.UnknownCounty(code, http, province) ?? Rt(code, http, grains, province, options.Value, clock);

    static Task<IResult> ProvinceRt(HttpContext http, IClusterClient grains, Province province, IOptions<RtOptions> options,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        Rt(null, http, grains, province, options.Value, clock);

    static async Task<IResult> Rt(string? county, HttpContext http, IClusterClient grains, Province province, RtOptions options, TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!caller.MayReadCounties) return Problems.Forbidden($"Role '{caller.Role}' may not read the counties.").ToResult(http);
        var query = http.Request.Query;
        var errors = new FieldErrors();
        var (from, to, byOnset) = EpiCurveApi.ReadQuery(query, province.LocalDay(clock.GetUtcNow()), errors);
        var window = ReproductionNumber.DefaultWindow;
        if (query["window"].Count > 0 && (!int.TryParse(query["window"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out window)
                                          || window is < 2 or > MaxWindow))
            errors.Add("window", $"Must be a whole number of days from 2 to {MaxWindow}.");
        if (errors.Any) return errors.ToProblem().ToResult(http);

        var first = from.AddDays(-History);
        var curve = await grains.GetGrain<IHistoryGrain>(0).EpiCurve(county, first, to, byOnset, http.RequestAborted);
        var incidence = curve.Days.Select(d => d.Confirmed).ToList();
        var si = options.SerialInterval;
        var posteriors = ReproductionNumber.Posteriors(incidence, si, window);
        var items = ReproductionNumber.Days(first, posteriors).Where(d => d.Day >= from).ToList();
        var projection = ReproductionNumber.Project(first, incidence, si, posteriors.LastOrDefault());
        return TypedResults.Ok(new RtResponse(county, curve.By, new SerialIntervalResponse(si.Mean, si.Sd, si.Source), window,
            ReproductionNumber.VersionOf(si), new PriorResponse(ReproductionNumber.PriorMean, ReproductionNumber.PriorSd), ReproductionNumber.MinCases,
            items, projection));
    }
}
