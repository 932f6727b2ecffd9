namespace EpiGrid.WebHost.Web;

/// <summary>
/// One county as anyone may see it: where it is drawn, its colour under each rule set and how many of its cells are
/// closed (issue 17: a count, never which cells). Nothing else.
/// </summary>
public sealed record PublicCounty(
    string Code, string NameZh, string NameEn, string CityZh, string CityEn, double Lon, double Lat, HexTile Tile,
    IReadOnlyDictionary<string, string> Colours, int ClosedCells);

/// <summary>
/// The province's map as it was published daily in 2020: the date, the colour of every county and how many counties
/// have each colour. No cell, case or person appears here.
/// </summary>
public sealed record PublicMap(
    string NameZh, string NameEn, DateOnly Date, DateTimeOffset EvaluatedAt, DateTimeOffset Now, int UtcOffsetMinutes,
    string DefaultRuleSet, IReadOnlyList<string> RuleSets,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts,
    IReadOnlyList<PublicCounty> Counties, string? Boundaries, bool DevTokens,
    PublicResumption? Resumption = null, PublicSignIn? SignIn = null);

/// <summary>
/// How the web app signs people in at the deployment's OpenID Connect provider (Auth:Client), when one is configured: the
/// authority as browsers reach it, the public client's id and the scopes. Nothing secret.
/// </summary>
public sealed record PublicSignIn(string Authority, string ClientId, string Scope, string ProviderName);

/// <summary>The enterprise resumption index of the latest day with readings, per county (0-100), published beside the map.</summary>
public sealed record PublicResumption(DateOnly Day, double ProvinceIndex, IReadOnlyDictionary<string, double> Counties);

/// <summary>A county's change of colour or of closed cells as the public hub pushes it.</summary>
public sealed record PublicCountyChange(string Code, IReadOnlyDictionary<string, string> Colours, DateTimeOffset EvaluatedAt, int ClosedCells);

/// <summary>The colour counts as the public hub pushes them.</summary>
public sealed record PublicProvinceChange(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ColourCounts, string DefaultRuleSet, DateOnly Date, DateTimeOffset At);
