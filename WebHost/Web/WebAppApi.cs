using EpiGrid.WebHost.Api;
using EpiGrid.WebHost.Audit;
using Microsoft.Extensions.Options;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Web;

public sealed record TrendDay(DateOnly Date, int NewConfirmed);

/// <summary>New confirmed cases per local day, by the day they occurred; <c>Now</c> is the domain clock, for "overdue".</summary>
public sealed record CountyTrend(string Code, DateTimeOffset Now, IReadOnlyList<TrendDay> Days);

public sealed record ReplayCounty(string Code, IReadOnlyDictionary<string, string> Colours);

/// <summary>Every county's colours at a past moment (asOf: occurred; knownAt: recorded).</summary>
public sealed record ReplayMap(
    DateTimeOffset AsOf, DateTimeOffset KnownAt, DateOnly Date,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts, IReadOnlyList<ReplayCounty> Counties);

/// <summary>The few reads the web app needs beyond the API: the public map, boundaries, a county's trend, a replayed map.</summary>
public static class WebAppApi
{
    const int MaxTrendDays = 90;

    public static RouteGroupBuilder MapWebAppApi(this RouteGroupBuilder api)
    {
        var open = api.MapGroup("/public").AllowAnonymous().WithTags("Public");
        open.MapGet("/map", PublicMapOf).WithName("getPublicMap")
            .WithSummary("The province map anyone may see: date, colours of counties per rule set, counts per colour. No personal data.");
        open.MapGet("/boundaries", Boundaries).WithName("getBoundaries")
            .WithSummary("The configured official boundary file (Map:BoundaryFile), or 404 when the hexagon cartogram is used.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblems(404);

        var web = api.MapGroup("/web").WithTags("Web app");
        web.MapGet("/counties/{code}/trend", Trend).WithName("getCountyTrend")
            .WithSummary("New confirmed cases per local day over the last `days` (default 14), with the domain clock's now.").ProducesProblems(400, 403, 404);
        web.MapGet("/replay", Replayed).WithName("getReplayedMap")
            .WithSummary("Every county's colours at a past moment: asOf (occurred) and/or knownAt (recorded). Recorded as an audit query.")
            .ProducesProblems(400, 403);
        return api;
    }

    static async Task<Ok<PublicMap>> PublicMapOf(HttpContext http, PublicMapSource source)
    {
        http.Response.Headers.CacheControl = "public, max-age=1";
        return TypedResults.Ok(await source.Get());
    }

    static IResult Boundaries(HttpContext http, IOptions<MapOptions> map)
    {
        if (map.Value.BoundaryPath is not { } path || !File.Exists(path)) return TypedResults.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.PhysicalFile(path, "application/json");
    }

    static async Task<Results<Ok<CountyTrend>, ProblemHttpResult>> Trend(
        string code, int? days, HttpContext http, Province province, IGrainFactory grains, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (!Jurisdiction.Of(http.User).MayReadCounties) return Problems.Forbidden("This role may not read counties.").ToResult(http);
        if (province.Find(code) is null) return Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http);
        if (days is < 1 or > MaxTrendDays) return Problems.Invalid("days", $"Between 1 and {MaxTrendDays}.").ToResult(http);
        var now = clock.GetUtcNow();
        var offset = province.Options.UtcOffset;
        var today = now.LocalDay(offset);
        var first = today.AddDays(1 - (days ?? 14));
        var from = first.Start(offset);

        var perDay = (await grains.GetGrain<IHistoryGrain>(0).NewConfirmedPerDay(code, from, now, http.RequestAborted))
            .ToDictionary(d => d.Day, d => d.Count);
        var series = Enumerable.Range(0, today.DayNumber - first.DayNumber + 1)
            .Select(i => first.AddDays(i)).Select(d => new TrendDay(d, perDay.GetValueOrDefault(d))).ToList();
        return TypedResults.Ok(new CountyTrend(code, now, series));
    }

    static async Task<Results<Ok<ReplayMap>, ProblemHttpResult>> Replayed(
        HttpContext http, Province province, RuleBook rules, History history, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var (replayed, moment, refused) = await history.Replayed(http, null, "province", asOf, knownAt, (replay, m, ct) => replay.Province(m, ct));
        if (refused is not null) return refused.ToResult(http);
        var view = replayed!;
        var counties = CountiesApi.Join(province, view, rules).Select(c => new ReplayCounty(c.County.Code, PublicMapSource.ColoursOf(c.View))).ToList();
        return TypedResults.Ok(new ReplayMap(moment.AsOf, moment.KnownAt, province.LocalDay(moment.AsOf), view.ColourCounts, counties));
    }
}
