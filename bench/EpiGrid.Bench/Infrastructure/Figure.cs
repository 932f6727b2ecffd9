namespace EpiGrid.Bench.Infrastructure;

/// <summary>One figure over several runs: every value, the median, and the spread (max - min, as a share of the median).</summary>
public sealed record Figure(IReadOnlyList<double> Values, string Unit)
{
    public double Median
    {
        get
        {
            var sorted = Values.Order().ToList();
            return sorted.Count == 0 ? double.NaN
                : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public JsonObject ToJson() => new()
    {
        ["median"] = Round(Median), ["min"] = Round(Values.Min()), ["max"] = Round(Values.Max()),
        ["spreadPct"] = Median == 0 ? 0 : Math.Round(100 * (Values.Max() - Values.Min()) / Median, 1),
        ["runs"] = Values.Count, ["unit"] = Unit, ["values"] = new JsonArray(Values.Select(v => (JsonNode)Round(v)).ToArray()),
    };

    public override string ToString() =>
        $"{Format(Median)} {Unit} (median of {Values.Count}, {Format(Values.Min())}–{Format(Values.Max())})";

    static double Round(double v) => Math.Abs(v) >= 100 ? Math.Round(v) : Math.Round(v, 2);
    static string Format(double v) => Math.Abs(v) >= 100 ? v.ToString("N0") : v.ToString("0.##");
}

/// <summary>Collects the values of named figures run after run.</summary>
public sealed class Figures
{
    readonly Dictionary<string, (List<double> Values, string Unit)> figures = new(StringComparer.Ordinal);

    public void Add(string name, double value, string unit)
    {
        if (!figures.TryGetValue(name, out var f)) figures[name] = f = ([], unit);
        f.Values.Add(value);
    }

    public Figure this[string name] => figures.TryGetValue(name, out var f) ? new Figure(f.Values, f.Unit) : new Figure([double.NaN], "");

    public bool Has(string name) => figures.ContainsKey(name);

    public JsonObject ToJson(params string[] names) =>
        new(names.Where(Has).Select(n => KeyValuePair.Create(n, (JsonNode?)this[n].ToJson())));
}
