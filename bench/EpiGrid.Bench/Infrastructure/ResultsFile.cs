using System.Text;
using System.Text.Json;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>bench/results/&lt;date&gt;.json, latest.json (always the newest run) and a readable summary.</summary>
public static class ResultsFile
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string directory, string name, JsonObject results)
    {
        Directory.CreateDirectory(directory);
        var json = results.ToJsonString(Indented) + "\n";
        var path = Path.Combine(directory, name + ".json");
        File.WriteAllText(path, json);
        File.WriteAllText(Path.Combine(directory, "latest.json"), json);
        File.WriteAllText(Path.Combine(directory, "latest.md"), Summary(results));
        return path;
    }

    public static string Summary(JsonObject results)
    {
        var text = new StringBuilder();
        var machine = results["machine"]!;
        text.AppendLine($"EpiGrid bench, {results["mode"]}, {results["date"]}: {machine["cores"]} cores, {machine["memoryMb"]} MB, "
            + $"load {machine["loadAverageAtStart"]} at start, {results["durationSeconds"]} s");
        foreach (var (name, node) in results)
        {
            if (node is not JsonObject w || !w.ContainsKey("status")) continue;
            text.AppendLine();
            var met = w["met"]?.GetValue<bool>() switch { true => "MET", false => "MISSED", null => "n/a" };
            text.AppendLine($"{name}: {w["status"]} — goal: {w["goal"]} — {met}");
            if (w["reason"] is { } reason) text.AppendLine($"  {reason}");
            foreach (var part in new[] { "epigrid", "baseline" })
                if (w[part] is JsonObject figures) Figures(text, part, figures);
            if (w["ratio"] is JsonObject ratio)
                text.AppendLine("  ratio: " + string.Join(", ", ratio.Select(r => $"{r.Key} {r.Value}")));
        }
        return text.ToString();
    }

    static void Figures(StringBuilder text, string part, JsonObject figures)
    {
        foreach (var (name, node) in figures)
        {
            if (node is JsonObject f && f.ContainsKey("median"))
                text.AppendLine($"  {part}.{name}: {f["median"]} {f["unit"]} (runs {f["runs"]}, {f["min"]}–{f["max"]}, spread {f["spreadPct"]}%)");
            else if (node is JsonObject nested) Figures(text, $"{part}.{name}", nested);
        }
    }
}
