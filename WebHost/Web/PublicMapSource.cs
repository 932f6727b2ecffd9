using EpiGrid.WebHost.Api;
using Microsoft.Extensions.Options;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.WebHost.Web;

/// <summary>
/// Builds the public map from the province grain, at most once a second however many people ask: a crowd on the
/// public page costs one grain call a second.
/// </summary>
public sealed class PublicMapSource(
    IClusterClient grains, Province province, RuleBook rules, IOptions<MapOptions> map, IHostEnvironment environment,
    IOptions<AuthOptions> auth, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
{
    readonly PublicSignIn? signIn = SignInOf(auth.Value);
    static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);
    readonly IReadOnlyDictionary<string, HexTile> tiles = HexCartogram.Layout(province.Counties);
    readonly SemaphoreSlim building = new(1, 1);
    (PublicMap Map, long BuiltAt)? latest;

    public async Task<PublicMap> Get()
    {
        if (Fresh() is { } map) return map;
        await building.WaitAsync();
        try
        {
            if (Fresh() is { } again) return again;
            var built = await Build();
            latest = (built, Environment.TickCount64);
            return built;
        }
        finally { building.Release(); }
    }

    PublicMap? Fresh() => latest is { } l && Environment.TickCount64 - l.BuiltAt < FreshFor.TotalMilliseconds ? l.Map : null;

    async Task<PublicMap> Build()
    {
        var view = await grains.GetGrain<IProvinceGrain>(0).GetView();
        var now = clock.GetUtcNow();
        var at = view.EvaluatedAt == default ? now : view.EvaluatedAt;
        var counties = CountiesApi.Join(province, view, rules).Select(c => new PublicCounty(
            c.County.Code, c.County.NameZh, c.County.NameEn, c.County.CityZh, c.County.CityEn, c.County.Lon, c.County.Lat, tiles[c.County.Code], ColoursOf(c.View), c.View.Controls.Closed)).ToList();
        return new PublicMap(
            province.Options.ProvinceNameZh, province.Options.ProvinceNameEn, province.LocalDay(at), at, now, (int)province.Options.UtcOffset.TotalMinutes, view.DefaultRuleSet, rules.RuleSets.Select(r => r.Name).ToList(), view.ColourCounts, counties,
            map.Value.BoundaryPath is null ? null : "/api/v1/public/boundaries", environment.IsDevelopment(), await Resumption(), signIn);
    }

    static PublicSignIn? SignInOf(AuthOptions auth) => auth.BrowserAuthority is not { } authority ? null
        : new PublicSignIn(authority, auth.Client.ClientId!, auth.Client.Scope,
            string.IsNullOrWhiteSpace(auth.Client.ProviderName) ? new Uri(authority).Host : auth.Client.ProviderName);

    /// <summary>The index layer, when any enterprise has readings; the map works without it.</summary>
    async Task<PublicResumption?> Resumption()
    {
        var layer = await grains.GetGrain<EpiGrid.Resumption.IProvinceResumptionGrain>(0).Map(null, byIndustry: false);
        return layer.Counties.Count == 0
            ? null
            : new PublicResumption(layer.Province.Day, layer.Province.Index, layer.Counties.ToDictionary(c => c.Key, c => c.Value.Index));
    }

    public static IReadOnlyDictionary<string, string> ColoursOf(CountyView view) =>
        view.Colours.ToDictionary(c => c.Key, c => c.Value.Colour);
}
