
namespace EpiGrid.Bench.Infrastructure;

/// <summary>Everything a workload needs: settings, the geography, the seeded cell ids, where to log.</summary>
public sealed class BenchContext
{
    public required bool Quick { get; init; }
    /// <summary>PostgreSQL server of this run (the platform's database and the baselines' are created on it).</summary>
    public required string PostgresServer { get; init; }
    public required string Artifacts { get; init; }
    public required string WorkDirectory { get; init; }
    public required int HttpPort { get; init; }
    public required int SiloPort { get; init; }
    public required int GatewayPort { get; init; }
    public required IReadOnlyList<County> Counties { get; init; }
    public int SeededCells { get; init; } = 85_000;
    /// <summary>Extra settings for the silo and web host (--platform-env K=V;K=V), to measure a setting before proposing it.</summary>
    public IReadOnlyDictionary<string, string> PlatformEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>
    /// Settings appended to the platform's event store connection string (--platform-connection "Max Auto Prepare=0"),
    /// to measure a pool setting; the baselines' connections do not get them.
    /// </summary>
    public string PlatformConnection { get; init; } = "";
    /// <summary>Platform starts (each measures every workload once): several, so each figure has a median and a spread.</summary>
    public int Runs => Quick ? 2 : 3;

    /// <summary>The same settings with another PostgreSQL server (a workload's own) and, optionally, more platform settings.</summary>
    public BenchContext OnServer(string postgresServer, IReadOnlyDictionary<string, string>? platformEnvironment = null) => new()
    {
        Quick = Quick, PostgresServer = postgresServer, Artifacts = Artifacts, WorkDirectory = WorkDirectory, HttpPort = HttpPort,
        SiloPort = SiloPort, GatewayPort = GatewayPort, Counties = Counties, SeededCells = SeededCells, PlatformConnection = PlatformConnection,
        PlatformEnvironment = new Dictionary<string, string>(PlatformEnvironment.Concat(platformEnvironment ?? new Dictionary<string, string>())),
    };

    /// <summary>Same pool cap as run.sh, so the platform is measured as it is run.</summary>
    public string Database(string name) => $"{PostgresServer};Database={name};Maximum Pool Size=40";

    public IReadOnlyList<string> CellIds => cellIds ??= Counties
        .SelectMany(c => CellPlan.CellsOf(c, CellPlan.CountsPerCounty(Counties, SeededCells)[c.Code], new SeedingOptions()))
        .Select(c => c.CellId).ToList();
    IReadOnlyList<string>? cellIds;

    public static void Log(string text) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {text}");
}
