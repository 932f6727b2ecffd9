using EpiGrid.Simulator.Outbreak;
using EpiGrid.Simulator.Runner;
using EpiGrid.Counties.Rules;

// EpiGrid.Simulator run     --url http://127.0.0.1:8080 [--seed 2020] [--days 38] [--travellers 300000] [--cells 85000] [--concentration 1.0]
//                           [--day-seconds 4] [--batch 1000] [--lanes 4] [--check-ins]
// EpiGrid.Simulator preview [same outbreak options]   prints the sequence's fingerprint and the colours it should produce
var args_ = Arguments.Parse(args);
var outbreak = new OutbreakOptions
{
    Seed = args_.Long("seed", 2020),
    Days = (int)args_.Long("days", 38),
    CountyConcentration = args_.Double("concentration", 1.0),
    Travellers = (int)args_.Long("travellers", 300_000),
    Cells = (int)args_.Long("cells", 85_000),
    CheckIns = args_.Flag("check-ins"),
};
var counties = Province.Parse(File.ReadAllLines(args_.Text("counties", Path.Combine(AppContext.BaseDirectory, "data", "zhejiang-counties-2020.csv"))));
var reports = OutbreakModel.Generate(outbreak, counties);
Console.WriteLine($"Outbreak seed {outbreak.Seed}: {reports.Count:N0} reports ("
    + string.Join(", ", reports.GroupBy(r => r.GetType().Name).Select(g => $"{g.Count():N0} {g.Key}")) + $"), fingerprint {SequenceFingerprint.Of(reports)}");

if (args_.Command == "preview")
{
    for (var day = 1; day <= outbreak.Days; day++)
    {
        var counts = OutbreakPreview.ColourCounts(reports, counties, TimeSpan.FromDays(day) - TimeSpan.FromSeconds(1));
        var date = OutbreakModel.Start.AddDays(day - 1);
        var published = OutbreakPreview.Published.GetValueOrDefault(date);
        Console.WriteLine($"  day {day,2} ({date:dd MMM}): "
            + string.Join(" ", RiskLevels.Colours.Select(c => $"{c} {counts.GetValueOrDefault(c)}"))
            + (published is null ? "" : $"   published {string.Join("/", published)}"));
    }
    return 0;
}

var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => cancel.Cancel();
using var client = PlatformClient.For(new Uri(args_.Text("url", "http://127.0.0.1:8080")));
try
{
    var ingest = await client.DevToken("ingest", cancel.Token);
    if (args_.Flag("register-cells"))
    {
        var added = await client.EnsureCells(reports.Select(r => r.CellId).Distinct().ToList(), await client.DevToken("admin", cancel.Token), cancel.Token);
        Console.WriteLine($"Simulator: registered {added:N0} cells");
    }
    var runner = new SimulationRunner(client, new RunnerOptions
    {
        DaySeconds = args_.Double("day-seconds", 4),
        BatchSize = (int)args_.Long("batch", 1000),
        Lanes = (int)args_.Long("lanes", 4),
    }, Console.Out);
    await runner.Run(reports, outbreak.Days, ingest, cancel.Token);
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("Simulator: stopped.");
    return 0;
}

/// <summary>"command --name value --flag": small enough not to need a parser library.</summary>
sealed record Arguments(string Command, Dictionary<string, string?> Options)
{
    public static Arguments Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "run";
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = command == "run" && (args.Length == 0 || args[0].StartsWith("--")) ? 0 : 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--")) throw new ArgumentException($"Unexpected argument {args[i]}");
            var name = args[i][2..];
            options[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : null;
        }
        return new Arguments(command, options);
    }

    public bool Flag(string name) => Options.ContainsKey(name);
    public string Text(string name, string fallback) => Options.GetValueOrDefault(name) ?? fallback;
    public long Long(string name, long fallback) => Options.GetValueOrDefault(name) is { } v ? long.Parse(v) : fallback;
    public double Double(string name, double fallback) =>
        Options.GetValueOrDefault(name) is { } v ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
