
namespace EpiGrid.Simulator.Outbreak;

/// <summary>
/// A seeded outbreak over the province from 21 January 2020: each city's confirmed cases on the days its published
/// curve gives them (<see cref="PublishedCityTotals"/>), spread over its counties unevenly; arrivals from risk areas,
/// imported cases among them, local cases in clusters, suspected cases mostly ruled out, hospitalisations and
/// recoveries. The simulator never picks a county's colour: the rules make the map from these cases. Pure: options
/// and counties in, the ordered reports out; no clock, no I/O.
/// </summary>
public static class OutbreakModel
{
    static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static IReadOnlyList<SimReport> Generate(OutbreakOptions options, IReadOnlyList<County> counties)
    {
        var random = new SeededRandom(options.Seed);
        var cells = new CellDirectory(counties, options);
        var caseDays = CaseDays(options, counties, random.Fork());
        var reports = new List<SimReport>();

        var arrivals = Arrivals(options, counties, cells, random.Fork(), reports);
        foreach (var county in counties)
            new CountyOutbreak(county, caseDays[county.Code], cells, arrivals[county.Code], random.Fork(), reports).Generate();
        if (options.CheckIns) CheckIns(options, reports, random.Fork());

        // Stable: reports at the same second keep the order they were made in (a case before its status).
        return reports.Where(r => r.At < Day * options.Days).OrderBy(r => r.At).ToList();
    }

    /// <summary>The day of each confirmed case of each county: the city's published new cases of the day, each to a county drawn by weight.</summary>
    static Dictionary<string, List<int>> CaseDays(OutbreakOptions o, IReadOnlyList<County> counties, SeededRandom random)
    {
        var days = counties.ToDictionary(c => c.Code, _ => new List<int>(), StringComparer.Ordinal);
        foreach (var city in counties.GroupBy(c => c.CityCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = city.OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            var weights = members.Select(c => c.Population * Math.Exp(o.CountyConcentration * random.NextGaussian())).ToList();
            var daily = PublishedCityTotals.DailyNew(city.Key, Start, o.Days);
            for (var d = 0; d < o.Days; d++)
                for (var i = 0; i < daily[d]; i++)
                    days[members[random.Pick(weights)].Code].Add(d);
        }
        return days;
    }

    /// <summary>Day 0 of the outbreak.</summary>
    public static readonly DateOnly Start = new(2020, 1, 21);

    /// <summary>Wenzhou (many residents worked in Wuhan) was hit hardest in Zhejiang, then Taizhou, Hangzhou and Ningbo.</summary>
    static double Hotspot(County county) => county.CityCode switch
    {
        "3303" => 4.0,
        "3310" => 2.0,
        "3301" or "3302" => 1.5,
        _ => 1.0,
    };

    /// <summary>Arrivals, spread over the days (fewer as controls tightened) and counties; high-risk ones per county for imported cases.</summary>
    static Dictionary<string, List<TravellerArrival>> Arrivals(
        OutbreakOptions o, IReadOnlyList<County> counties, CellDirectory cells, SeededRandom random, List<SimReport> reports)
    {
        var days = Enumerable.Range(0, o.Days).Select(d => 1.2 - 0.4 * d / o.Days).ToList();
        var anyWeights = counties.Select(c => (double)c.Population).ToList();
        var riskyWeights = counties.Select(c => c.Population * Hotspot(c)).ToList();
        var origins = Origin.All.Select(x => x.Share).ToList();
        var modes = Origin.Modes.Select(x => x.Share).ToList();
        var byCounty = counties.ToDictionary(c => c.Code, _ => new List<TravellerArrival>(), StringComparer.Ordinal);
        for (var i = 0; i < o.Travellers; i++)
        {
            var origin = Origin.All[random.Pick(origins)];
            var county = counties[random.Pick(origin.Risk == "high" ? riskyWeights : anyWeights)];
            var at = Day * random.Pick(days) + TimeSpan.FromSeconds(random.Next(0, 86_400));
            var quarantine = origin.Risk switch { "high" => random.Chance(0.4) ? "central" : "home", "medium" => "home", _ => "none" };
            var arrival = new TravellerArrival(at, cells.Any(county.Code, random), $"t{i:D7}", origin.Area, origin.Risk,
                Origin.Modes[random.Pick(modes)].Mode, quarantine);
            reports.Add(arrival);
            if (origin.Risk == "high") byCounty[county.Code].Add(arrival);
        }
        return byCounty;
    }

    /// <summary>Quarantined travellers check in once a day for up to 14 days; a few check-ins are missed.</summary>
    static void CheckIns(OutbreakOptions o, List<SimReport> reports, SeededRandom random)
    {
        foreach (var t in reports.OfType<TravellerArrival>().Where(t => t.Quarantine != "none").ToList())
            for (var d = 1; d <= 14; d++)
                reports.Add(new CheckIn(t.At + Day * d + TimeSpan.FromMinutes(random.Next(-120, 120)), t.CellId, t.TravellerId,
                    random.Chance(o.MissedCheckInRate)));
    }
}

/// <summary>The seeded cells of each county, addressed as the silo seeds them (CellPlan).</summary>
sealed class CellDirectory(IReadOnlyList<County> counties, OutbreakOptions options)
{
    readonly IReadOnlyDictionary<string, int> counts = CellPlan.CountsPerCounty(counties, options.Cells);

    public string Any(string county, SeededRandom random) => Id(county, random.Next(0, counts[county]));

    /// <summary>A cell of the same town (the same middle part of the id) as the given one.</summary>
    public string Neighbour(string cellId, SeededRandom random)
    {
        var county = cellId[..6];
        var index = (int.Parse(cellId[7..10]) - 1) * options.CellsPerTown + int.Parse(cellId[11..]) - 1;
        var townStart = index / options.CellsPerTown * options.CellsPerTown;
        var townSize = Math.Min(options.CellsPerTown, counts[county] - townStart);
        return Id(county, townStart + random.Next(0, townSize));
    }

    string Id(string county, int index) =>
        $"{county}-{index / options.CellsPerTown + 1:D3}-{index % options.CellsPerTown + 1:D3}";
}
