using System.Globalization;
using System.Text.RegularExpressions;
using EpiGrid.Platform;

namespace EpiGrid.Geography;

/// <summary>Configuration of the geography (section "Geography"): a data file, so another province is a file change.</summary>
public sealed record GeographyOptions
{
    public const string Section = "Geography";
    /// <summary>CSV with the columns of data/zhejiang-counties-2020.csv; relative paths resolve against the app folder.</summary>
    public string CountiesFile { get; init; } = "data/zhejiang-counties-2020.csv";
    public string ProvinceNameZh { get; init; } = "浙江省";
    public string ProvinceNameEn { get; init; } = "Zhejiang";
    /// <summary>Local time of the province; days without new cases are counted in it.</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(8);
}

/// <summary>The province's counties, loaded once from the reference data.</summary>
public sealed partial class Province
{
    readonly Dictionary<string, County> byCode;

    public Province(GeographyOptions options, IReadOnlyList<County> counties)
    {
        Options = options;
        Counties = counties;
        byCode = counties.ToDictionary(c => c.Code, StringComparer.Ordinal);
    }

    public GeographyOptions Options { get; }
    public IReadOnlyList<County> Counties { get; }
    public long Population => Counties.Sum(c => (long)c.Population);

    public County? Find(string code) => byCode.GetValueOrDefault(code);

    /// <summary>The province's local calendar day of a moment.</summary>
    public DateOnly LocalDay(DateTimeOffset time) => time.LocalDay(Options.UtcOffset);

    /// <summary>Cell ids look like 330782-004-017: county code, then two three-digit parts.</summary>
    public static bool IsCellId(string? cellId) => cellId is not null && CellIdPattern().IsMatch(cellId);

    public static string CountyOfCell(string cellId) => cellId[..6];

    /// <summary>Whether this is a cell id of a county of this province (not whether the cell is registered).</summary>
    public bool HasCell(string? cellId) => IsCellId(cellId) && Find(CountyOfCell(cellId!)) is not null;

    // [0-9], not \d (which takes any script's digits), and \z, not $ (which lets a final line break through).
    [GeneratedRegex(@"^[0-9]{6}-[0-9]{3}-[0-9]{3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CellIdPattern();

    public static Province Load(GeographyOptions options, string baseDirectory)
    {
        var path = Path.IsPathRooted(options.CountiesFile)
            ? options.CountiesFile
            : Path.Combine(baseDirectory, options.CountiesFile);
        return new Province(options, Parse(File.ReadAllLines(path)));
    }

    public static IReadOnlyList<County> Parse(IReadOnlyList<string> lines)
    {
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i : throw new FormatException($"Counties file has no column '{name}'");
        int code = Col("code"), zh = Col("name_zh"), en = Col("name_en"), level = Col("level"), city = Col("city_code"),
            cityZh = Col("city_zh"), cityEn = Col("city_en"), pop = Col("population_2020"), lon = Col("lon"), lat = Col("lat");
        var inv = CultureInfo.InvariantCulture;
        return lines.Skip(1).Where(l => l.Trim().Length > 0).Select((line, n) =>
        {
            var f = line.Split(',');
            if (f.Length != header.Length) throw new FormatException($"Counties file line {n + 2}: expected {header.Length} fields");
            return new County(f[code], f[zh], f[en], f[level], f[city], f[cityZh], f[cityEn],
                int.Parse(f[pop], inv), double.Parse(f[lon], inv), double.Parse(f[lat], inv));
        }).ToList();
    }
}
