namespace EpiGrid.Bench.Infrastructure;

/// <summary>
/// CPU seconds (user + system) from /proc: a coarse profile of where a workload's time goes across the processes of
/// the one machine (silo, web host, the bench's PostgreSQL server and all its backends).
/// </summary>
public static class CpuTime
{
    const double TicksPerSecond = 100; // USER_HZ on Linux

    static long[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at state (field 3).
            return text[(text.LastIndexOf(')') + 2)..].Split(' ').Select(f => long.TryParse(f, out var v) ? v : 0).ToArray();
        }
        catch (IOException) { return null; }
    }

    /// <summary>User + system seconds of one process (its own threads).</summary>
    public static double Of(Process process) => Stat(process.Id) is { } s ? (s[11] + s[12]) / TicksPerSecond : 0;

    /// <summary>
    /// The PostgreSQL server listening on <paramref name="port"/>: the postmaster, its exited children (reaped, so in
    /// its cutime/cstime) and its live backends and workers.
    /// </summary>
    public static double OfPostgres(int port)
    {
        var postmaster = Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .FirstOrDefault(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0') is var a && a[0].EndsWith("postgres") && a.SkipWhile(x => x != "-p").Skip(1).FirstOrDefault() == port.ToString(); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            });
        if (postmaster == 0 || Stat(postmaster) is not { } main) return double.NaN;
        var total = main[11] + main[12] + main[13] + main[14];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } s && s[1] == postmaster)
                total += s[11] + s[12];
        return total / TicksPerSecond;
    }

    /// <summary>The port of a connection string's server (Port=...), 5432 if none.</summary>
    public static int PortOf(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Port;
}
