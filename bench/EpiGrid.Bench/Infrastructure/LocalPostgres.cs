using System.Net;
using System.Net.Sockets;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>
/// PostgreSQL servers of a workload's own, through the repository's deploy/local/postgres.sh (the server the bench and
/// run.sh start): a free loopback port each, data in a folder the workload names.
/// </summary>
public static class LocalPostgres
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>postgres.sh COMMAND DIR PORT LAST (LAST: the database to create, or the primary's port for a standby).</summary>
    public static async Task Script(BenchContext ctx, string command, string dir, int port, string last)
    {
        var script = Path.GetFullPath(Path.Combine(ctx.Artifacts, "..", "..", "deploy", "local", "postgres.sh"));
        Directory.CreateDirectory(dir);
        // The server's user (postgres, when the bench runs as root) must reach it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var start = new ProcessStartInfo("bash", [script, command, dir, port.ToString(), last]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {command} failed: {err}");
    }

    /// <summary>The connection string of a server started by <see cref="Script"/> on <paramref name="port"/>.</summary>
    public static string Server(int port) => $"Host=127.0.0.1;Port={port};Username=postgres";
}
