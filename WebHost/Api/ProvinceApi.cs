using EpiGrid.WebHost.Audit;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.WebHost.Api;

public sealed record ProvinceResponse(
    string NameZh, string NameEn, long Population, int Counties, string DefaultRuleSet,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts,
    IReadOnlyDictionary<string, int> ColourCount,
    CountyTotals Totals, DateTimeOffset EvaluatedAt);

/// <param name="Version">The version in force today (the domain clock's local day).</param>
/// <param name="EffectiveFrom">The day that version took effect.</param>
/// <param name="Versions">Every version, oldest first, each with the local day it took effect.</param>
public sealed record RuleSetResponse(string Name, string Version, bool Default, string EffectiveFrom, IReadOnlyList<RuleVersionResponse> Versions);

/// <param name="Parameters">zhejiang-5's weights and cut-offs (illustrative defaults: docs/rules.md); null for the others.</param>
public sealed record RuleVersionResponse(string Version, string EffectiveFrom, bool InForce, Zhejiang5Parameters? Parameters);

public sealed record RulesResponse(string DefaultRuleSet, IReadOnlyList<RuleSetResponse> RuleSets);

/// <summary>The province at a glance, and the rule sets that colour it.</summary>
public static class ProvinceApi
{
    public static RouteGroupBuilder MapProvinceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/province", Get).WithTags("Province").WithName("getProvince")
            .WithSummary("How many counties have each colour, and the province's totals; asOf/knownAt replay it at a past moment.").ProducesProblems(400, 403);
        api.MapGet("/rules", Rules).WithTags("Province").WithName("listRuleSets").WithSummary("The colour rule sets evaluated side by side, each with its versions and the day each took effect.");
        return api;
    }

    static async Task<Results<Ok<ProvinceResponse>, ProblemHttpResult>> Get(
        HttpContext http, IClusterClient grains, Province province, RuleBook rules,
        History history, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        if (!Jurisdiction.Of(http.User).MayReadCounties) return Problems.Forbidden("This role may not read the province.").ToResult(http);
        // A replay of the whole province is history: auditors, province officials and admins (as /web/replay).
        var (read, notRead) = await history.Read(http, null, "province", asOf, knownAt,
            () => grains.GetGrain<IProvinceGrain>(0).GetView(), (replay, moment, ct) => replay.Province(moment, ct));
        if (notRead is not null) return notRead.ToResult(http);
        var view = read!;
        var totals = CountiesApi.Join(province, view, rules).Select(c => CountyTotals.From(c.View.Indicators, c.View.Travellers, c.View.Controls)).ToList();
        return TypedResults.Ok(new ProvinceResponse(
            province.Options.ProvinceNameZh, province.Options.ProvinceNameEn, province.Population, province.Counties.Count,
            view.DefaultRuleSet, view.ColourCounts,
            view.ColourCounts.GetValueOrDefault(view.DefaultRuleSet) ?? new Dictionary<string, int>(),
            CountyTotals.Sum(totals, province.Population), view.EvaluatedAt));
    }

    static Ok<RulesResponse> Rules(RuleBook rules, Province province, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var today = province.LocalDay(clock.GetUtcNow());
        return TypedResults.Ok(new RulesResponse(rules.Default.Name, rules.RuleSets.Select(r =>
        {
            var inForce = r.InForce(today);
            var versions = r.Versions.Select(v => new RuleVersionResponse(v.Rule.Version, Day(v.EffectiveFrom), v.Rule == inForce,
                (v.Rule as Zhejiang5RuleSet)?.Parameters)).ToList();
            return new RuleSetResponse(r.Name, inForce.Version, r == rules.Default, versions.Single(v => v.InForce).EffectiveFrom, versions);
        }).ToList()));
    }

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
