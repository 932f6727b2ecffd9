using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// The map's history (issue 17): how the five-colour map changed day by day, from the events (a replay, so it matches the
/// replay views), beside the counts the province published in February 2020. A replay of every county: for officials and
/// auditors, a few at a time (<see cref="HeavyRead.Replay"/>), recorded as an audit query.
/// </summary>
public static class ColourHistoryApi
{
    public const int DefaultDays = 30, MaxDays = 366;

    public static RouteGroupBuilder MapColourHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/province/colour-history", History).WithTags("Province").WithName("getColourHistory")
            .WithSummary("Each county's level and colour at the end of each local day, and the counts per colour per day, under a rule set "
                + "(ruleSet, default the default; from and to: yyyy-MM-dd, default the last 30 days), with the counts published in 2020 where there are any.")
            .Produces<EpiGrid.Provinces.ColourHistory>().ProducesProblems(400, 403, 429, 503);
        return api;
    }

    static async Task<IResult> History(HttpContext http, IClusterClient grains, Province province, RuleBook rules, QueryRecords records, HeavyReadGate heavy,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (caller.Role is not (Roles.CountyOfficial or Roles.ProvinceOfficial or Roles.Auditor or Roles.Admin))
            return Problems.Forbidden($"Role '{caller.Role}' may not replay the map's history: officials, auditors and admins do.").ToResult(http);
        var query = http.Request.Query;
        var errors = new FieldErrors();
        var (from, to) = DayRange.Read(query, province.LocalDay(clock.GetUtcNow()), DefaultDays, MaxDays, errors, notAfterToday: true);
        var ruleSet = query["ruleSet"].Count == 0 ? rules.Default.Name : query["ruleSet"].ToString();
        if (rules.Find(ruleSet) is null) errors.Add("ruleSet", $"Must be one of {string.Join(", ", rules.RuleSets.Select(r => r.Name))}.");
        if (errors.Any) return errors.ToProblem().ToResult(http);

        var (read, busy) = heavy.Enter(http, HeavyRead.Replay);
        if (busy is not null) return busy.ToResult(http);
        using var _ = read;
        EpiGrid.Provinces.ColourHistory history;
        try
        {
            history = await grains.GetGrain<IHistoryGrain>(0).ColourHistory(ruleSet, from, to, read!.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "colour-history");
        return TypedResults.Ok(history);
    }
}
