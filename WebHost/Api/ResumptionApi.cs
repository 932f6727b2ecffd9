using System.Globalization;
using EpiGrid.Resumption;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>The enterprise resumption index of counties, cities and the province, per day; every role may read it (its replays: see <see cref="ResumptionReplays"/>).</summary>
public static class ResumptionApi
{
    /// <summary>Hub method of a changed figure (see PushRelay).</summary>
    public const string PushMethod = nameof(Alerts.IGridClient.resumptionChanged);
    const int MaxHistoryDays = 366;

    public static RouteGroupBuilder MapResumptionApi(this RouteGroupBuilder api)
    {
        const string ByIndustry = " by=industry: each day also carries `industries`, the same figures per industry.";
        api.MapGet("/counties/{code}/resumption", County).WithTags("Resumption").WithName("getCountyResumption")
            .WithSummary("A county's enterprise resumption index for a day (default: the latest day with readings)." + ByIndustry).ProducesProblems(400, 403, 404);
        api.MapGet("/counties/{code}/resumption/history", CountyHistory).WithTags("Resumption").WithName("getCountyResumptionHistory")
            .WithSummary("A county's index for each day with readings from `from` to `to` (at most 366 days); knownAt: as recorded by then; format=csv." + ByIndustry)
            .ProducesProblems(400, 403, 404);
        api.MapGet("/province/resumption", Province).WithTags("Resumption").WithName("getProvinceResumption")
            .WithSummary("The province's index for a day, with every city's and county's: the map layer." + ByIndustry).ProducesProblems(400, 403);
        api.MapGet("/province/resumption/history", ProvinceHistory).WithTags("Resumption").WithName("getProvinceResumptionHistory")
            .WithSummary("The province's index for each day with readings from `from` to `to`; knownAt: as recorded by then; format=csv." + ByIndustry)
            .ProducesProblems(400, 403);
        return api.MapEnterprisesApi().MapReadingsApi();
    }

    static async Task<Results<Ok<ResumptionResponse>, ProblemHttpResult>> County(
        string code, string? day, string? by, HttpContext http, IClusterClient grains, Province province)
    {
        if (Refuse(http, code, province) is { } refused) return refused.ToResult(http);
        if (!TryDay(day, "day", out var on, out var bad) || !TryBy(by, out var byIndustry, out bad)) return bad!.ToResult(http);
        var figures = await grains.GetGrain<IResumptionGrain>(code).Figures(on, byIndustry);
        return TypedResults.Ok(ResumptionResponse.From(figures, code));
    }

    static async Task<Results<Ok<ResumptionHistoryResponse>, ContentHttpResult, ProblemHttpResult>> CountyHistory(
        string code, string? from, string? to, DateTimeOffset? knownAt, string? format, string? by, HttpContext http, IClusterClient grains,
        Province province, HeavyReadGate heavy, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (Refuse(http, code, province) is { } refused) return refused.ToResult(http);
        if (knownAt is not null && ResumptionReplays.Refusal(http, code) is { } noReplay) return noReplay.ToResult(http);
        var (first, last, problem) = Range(from, to, province.LocalDay(clock.GetUtcNow()));
        if (problem is not null || !TryBy(by, out var byIndustry, out problem)) return problem!.ToResult(http);
        var grain = grains.GetGrain<IResumptionGrain>(code);
        var (days, heavyProblem) = knownAt is null
            ? (await grain.History(first, last, null, byIndustry), null)
            : await ResumptionReplays.Run(http, heavy, () => grain.History(first, last, knownAt, byIndustry));
        if (heavyProblem is not null) return heavyProblem.ToResult(http);
        return Answer(new ResumptionHistoryResponse(code, Text(first), Text(last), days!.Select(d => ResumptionResponse.From(d, code)).ToList()), format);
    }

    static async Task<Results<Ok<ProvinceResumptionResponse>, ProblemHttpResult>> Province(
        string? day, string? by, HttpContext http, IClusterClient grains, Province province)
    {
        if (!Jurisdiction.Of(http.User).MayReadCounties) return Problems.Forbidden("This role may not read the province.").ToResult(http);
        if (!TryDay(day, "day", out var on, out var bad) || !TryBy(by, out var byIndustry, out bad)) return bad!.ToResult(http);
        var map = await grains.GetGrain<IProvinceResumptionGrain>(0).Map(on, byIndustry);
        var p = map.Province;
        var cities = province.Counties.DistinctBy(c => c.CityCode).Where(c => map.Cities.ContainsKey(c.CityCode))
            .Select(c => ResumptionResponse.From(map.Cities[c.CityCode], c.CityCode, c.CityZh, c.CityEn)).ToList();
        var counties = province.Counties.Where(c => map.Counties.ContainsKey(c.Code))
            .Select(c => ResumptionResponse.From(map.Counties[c.Code], c.Code, c.NameZh, c.NameEn)).ToList();
        return TypedResults.Ok(new ProvinceResumptionResponse(Text(p.Day), p.Enterprises, p.Resumed, p.ResumptionRate, p.ProductionRate,
            p.Index, p.RuleVersion, p.StaffAtWork, p.StaffReports, cities, counties, IndustryResumptionResponse.From(p.Industries)));
    }

    static async Task<Results<Ok<ResumptionHistoryResponse>, ContentHttpResult, ProblemHttpResult>> ProvinceHistory(
        string? from, string? to, DateTimeOffset? knownAt, string? format, string? by, HttpContext http, IClusterClient grains, Province province,
        HeavyReadGate heavy, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (!Jurisdiction.Of(http.User).MayReadCounties) return Problems.Forbidden("This role may not read the province.").ToResult(http);
        if (knownAt is not null && ResumptionReplays.Refusal(http, null) is { } noReplay) return noReplay.ToResult(http);
        var (first, last, problem) = Range(from, to, province.LocalDay(clock.GetUtcNow()));
        if (problem is not null || !TryBy(by, out var byIndustry, out problem)) return problem!.ToResult(http);
        var grain = grains.GetGrain<IProvinceResumptionGrain>(0);
        var (days, heavyProblem) = knownAt is null
            ? (await grain.History(first, last, null, byIndustry), null)
            : await ResumptionReplays.Run(http, heavy, () => grain.History(first, last, knownAt, byIndustry));
        if (heavyProblem is not null) return heavyProblem.ToResult(http);
        return Answer(new ResumptionHistoryResponse(null, Text(first), Text(last), days!.Select(d => ResumptionResponse.From(d)).ToList()), format);
    }

    /// <summary>
    /// JSON, or with format=csv one line per day, for spreadsheets; by industry, a column <c>industry</c> after the day:
    /// the day's total (industry empty), then a line per industry.
    /// </summary>
    static Results<Ok<ResumptionHistoryResponse>, ContentHttpResult, ProblemHttpResult> Answer(ResumptionHistoryResponse history, string? format)
    {
        if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)) return TypedResults.Ok(history);
        var byIndustry = history.Days.Any(d => d.Industries is not null);
        var csv = new System.Text.StringBuilder(byIndustry
            ? "day,industry,enterprises,resumed,resumptionRate,productionRate,index,ruleVersion\n"
            : "day,enterprises,resumed,resumptionRate,productionRate,index,ruleVersion\n");
        void Line(string day, string? industry, int enterprises, int resumed, double resumptionRate, double productionRate, double index, string ruleVersion) =>
            csv.Append(CsvCells.Line([day, .. (byIndustry ? new[] { industry ?? "" } : []), enterprises.ToString(CultureInfo.InvariantCulture),
                resumed.ToString(CultureInfo.InvariantCulture), resumptionRate.ToString("0.######", CultureInfo.InvariantCulture),
                productionRate.ToString("0.######", CultureInfo.InvariantCulture), index.ToString("0.00", CultureInfo.InvariantCulture), ruleVersion])).Append('\n');
        foreach (var d in history.Days)
        {
            Line(d.Day, null, d.Enterprises, d.Resumed, d.ResumptionRate, d.ProductionRate, d.Index, d.RuleVersion);
            foreach (var i in d.Industries ?? []) Line(d.Day, i.Industry, i.Enterprises, i.Resumed, i.ResumptionRate, i.ProductionRate, i.Index, d.RuleVersion);
        }
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    static ProblemDetails? Refuse(HttpContext http, string code, Province province) =>
        !Jurisdiction.Of(http.User).MayReadCounties ? Problems.Forbidden("This role may not read counties.")
        : province.Find(code) is null ? Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.")
        : null;

    /// <summary>Defaults: to today, from 29 days before "to".</summary>
    static (DateOnly From, DateOnly To, ProblemDetails? Problem) Range(string? from, string? to, DateOnly today)
    {
        if (!TryDay(to, "to", out var last, out var bad) || !TryDay(from, "from", out var first, out bad)) return (default, default, bad);
        var end = last ?? today;
        var start = first ?? end.AddDays(-29);
        if (start > end) return (default, default, Problems.Invalid("from", "Must not be after 'to'."));
        if (end.DayNumber - start.DayNumber >= MaxHistoryDays) return (default, default, Problems.Invalid("from", $"At most {MaxHistoryDays} days at once."));
        return (start, end, null);
    }

    static bool TryDay(string? text, string field, out DateOnly? day, out ProblemDetails? problem)
    {
        (day, problem) = (null, null);
        if (text is null) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) day = d;
        else problem = Problems.Invalid(field, "Must be a local day, YYYY-MM-DD.");
        return problem is null;
    }

    /// <summary>Absent (or empty): the totals only; "industry": each industry's figures too.</summary>
    static bool TryBy(string? text, out bool byIndustry, out ProblemDetails? problem)
    {
        byIndustry = text == "industry";
        problem = text is null or "" or "industry" ? null : Problems.Invalid("by", "Must be industry (each industry's figures beside the total), or absent.");
        return problem is null;
    }

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
