using System.Text.Json.Serialization;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;

namespace EpiGrid.WebHost.Api;

/// <summary>A county's figures. Flat on a county; summed under "totals" for the province.</summary>
public record CountyTotals
{
    public int ConfirmedTotal { get; init; }
    public int NewLast14Days { get; init; }
    public int NewLast7Days { get; init; }
    public int ClustersLast14Days { get; init; }
    /// <summary>Null when there never was a confirmed case.</summary>
    public int? DaysSinceLastNewCase { get; init; }
    public int LocalConfirmed { get; init; }
    public int ImportedConfirmed { get; init; }
    public double LocalShare { get; init; }
    public int Suspected { get; init; }
    public int Asymptomatic { get; init; }
    public int Active { get; init; }
    public int Hospitalised { get; init; }
    public int Recovered { get; init; }
    public int Died { get; init; }
    public int Travellers { get; init; }
    public double DailyNewPer100kAvg7 { get; init; }
    /// <summary>New confirmed cases of the last 14 days with a known source (infecting case or cluster), and their share (null: none new).</summary>
    public int LinkedLast14Days { get; init; }
    public double? LinkedShareLast14Days { get; init; }
    /// <summary>Cells closed and cells controlled now (issue 17): controls in force, lapsed ones not counted.</summary>
    public int ClosedCells { get; init; }
    public int ControlledCells { get; init; }

    public static CountyTotals From(CountyIndicators i, int travellers, CellControlCounts? controls = null) => new()
    {
        ClosedCells = controls?.Closed ?? 0, ControlledCells = controls?.Controlled ?? 0,
        ConfirmedTotal = i.ConfirmedTotal, NewLast14Days = i.NewLast14Days, NewLast7Days = i.NewLast7Days,
        ClustersLast14Days = i.ClustersLast14Days, DaysSinceLastNewCase = i.DaysSinceLastNewCase,
        LocalConfirmed = i.LocalConfirmed, ImportedConfirmed = i.ImportedConfirmed, LocalShare = i.LocalShare,
        Suspected = i.Suspected, Asymptomatic = i.Asymptomatic, Active = i.Active, Hospitalised = i.Hospitalised,
        Recovered = i.Recovered, Died = i.Died, Travellers = travellers, DailyNewPer100kAvg7 = i.DailyNewPer100kAvg7,
        LinkedLast14Days = i.LinkedLast14Days, LinkedShareLast14Days = i.LinkedShareLast14Days,
    };

    /// <summary>Counts add up; the share and the rate are recomputed for the whole, and the quiet days are the shortest.</summary>
    public static CountyTotals Sum(IReadOnlyCollection<CountyTotals> counties, long population)
    {
        int confirmed = counties.Sum(c => c.ConfirmedTotal), local = counties.Sum(c => c.LocalConfirmed), new7 = counties.Sum(c => c.NewLast7Days);
        return new CountyTotals
        {
            ConfirmedTotal = confirmed, NewLast14Days = counties.Sum(c => c.NewLast14Days), NewLast7Days = new7,
            ClustersLast14Days = counties.Sum(c => c.ClustersLast14Days),
            DaysSinceLastNewCase = counties.Min(c => c.DaysSinceLastNewCase),
            LocalConfirmed = local, ImportedConfirmed = counties.Sum(c => c.ImportedConfirmed),
            LocalShare = confirmed == 0 ? 0 : (double)local / confirmed,
            Suspected = counties.Sum(c => c.Suspected), Asymptomatic = counties.Sum(c => c.Asymptomatic),
            Active = counties.Sum(c => c.Active), Hospitalised = counties.Sum(c => c.Hospitalised),
            Recovered = counties.Sum(c => c.Recovered), Died = counties.Sum(c => c.Died), Travellers = counties.Sum(c => c.Travellers),
            DailyNewPer100kAvg7 = population <= 0 ? 0 : new7 / 7.0 / population * 100_000,
            LinkedLast14Days = counties.Sum(c => c.LinkedLast14Days),
            ClosedCells = counties.Sum(c => c.ClosedCells), ControlledCells = counties.Sum(c => c.ControlledCells),
            LinkedShareLast14Days = counties.Sum(c => c.NewLast14Days) is var new14 and > 0 ? (double)counties.Sum(c => c.LinkedLast14Days) / new14 : null,
        };
    }
}

public sealed record CityResponse(string Code, string NameZh, string NameEn);

/// <summary>A county's colour under one rule set; inputs only on the single-county view.</summary>
public sealed record ColourResponse(
    string Level, string Colour, string RuleVersion, IReadOnlyList<string> Reasons,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Inputs)
{
    public static ColourResponse From(ColourDecision d, bool withInputs) =>
        new(d.Level.Name(), d.Colour, d.RuleVersion, d.Reasons, withInputs ? d.Inputs : null);
}

/// <summary>A county for the map: geography, figures, and its colour under every rule set.</summary>
public sealed record CountyResponse : CountyTotals
{
    CountyResponse(CountyTotals totals) : base(totals) { }

    [JsonPropertyOrder(-10)] public required string Code { get; init; }
    [JsonPropertyOrder(-9)] public required string NameZh { get; init; }
    [JsonPropertyOrder(-8)] public required string NameEn { get; init; }
    [JsonPropertyOrder(-7)] public required CityResponse City { get; init; }
    [JsonPropertyOrder(-6)] public int Population { get; init; }
    [JsonPropertyOrder(-5)] public double Lon { get; init; }
    [JsonPropertyOrder(-4)] public double Lat { get; init; }
    /// <summary>The default rule set's colour, for clients that show one map.</summary>
    [JsonPropertyOrder(-3)] public string? Colour { get; init; }
    [JsonPropertyOrder(-2)] public required string DefaultRuleSet { get; init; }
    [JsonPropertyOrder(-1)] public required IReadOnlyDictionary<string, ColourResponse> Colours { get; init; }
    public DateTimeOffset EvaluatedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<CellActivity>? BusiestCells { get; init; }
    /// <summary>The control measures that follow the default rule set's colour (single-county view).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MeasuresInForce? Measures { get; init; }
    /// <summary>The cells under control now (single live view only), closed first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<ControlledCellResponse>? CellsUnderControl { get; init; }

    /// <summary>The list view leaves out inputs, busiest cells and measures; the single-county view has them.</summary>
    public static CountyResponse From(County county, CountyView view, bool detailed, MeasureTable? measures = null) => new(CountyTotals.From(view.Indicators, view.Travellers, view.Controls))
    {
        Code = county.Code, NameZh = county.NameZh, NameEn = county.NameEn,
        City = new CityResponse(county.CityCode, county.CityZh, county.CityEn),
        Population = county.Population, Lon = county.Lon, Lat = county.Lat,
        Colour = view.Colours.GetValueOrDefault(view.DefaultRuleSet)?.Colour,
        DefaultRuleSet = view.DefaultRuleSet,
        Colours = view.Colours.ToDictionary(c => c.Key, c => ColourResponse.From(c.Value, detailed)),
        EvaluatedAt = view.EvaluatedAt,
        BusiestCells = detailed ? view.BusiestCells : null,
        CellsUnderControl = detailed ? view.ControlledCells?.Select(c => new ControlledCellResponse(c.CellId, ControlResponse.From(c.Control)!)).ToList() : null,
        Measures = detailed && measures is not null && view.Colours.GetValueOrDefault(view.DefaultRuleSet) is { } colour
            ? measures.For(view.DefaultRuleSet, colour.Colour) : null,
    };
}

/// <summary>A cell of the county under control, with its control (level, reason, since, until, by).</summary>
public sealed record ControlledCellResponse(string CellId, ControlResponse Control);
