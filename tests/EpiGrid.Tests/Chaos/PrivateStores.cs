using System.Diagnostics;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using Npgsql;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// A Redis of the scenario's own, so it can be restarted. Persistent (append-only file) as a production Redis holding
/// Orleans membership must be: a restart keeps the membership table.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("epigrid-chaos-redis-").FullName;
    public int Port { get; } = FreePort.Next();
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public async Task Start()
    {
        await Run("redis-server", "--port", Port.ToString(), "--bind", "127.0.0.1", "--appendonly", "yes", "--save", "",
            "--daemonize", "yes", "--dir", dir, "--pidfile", Path.Combine(dir, "redis.pid"), "--logfile", Path.Combine(dir, "redis.log"));
        await Eventually.True(async () => (await Run("redis-cli", "-p", Port.ToString(), "ping")).Contains("PONG"), TimeSpan.FromSeconds(10), "redis up");
    }

    /// <summary>Stops Redis (SIGTERM: it writes its append-only file and exits) and waits until it is gone.</summary>
    public async Task Stop()
    {
        var pidFile = Path.Combine(dir, "redis.pid");
        if (!File.Exists(pidFile)) return;
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim());
        try { Process.GetProcessById(pid).Kill(entireProcessTree: false); } catch (ArgumentException) { return; }
        await Eventually.True(() => Task.FromResult(!IsRunning(pid)), TimeSpan.FromSeconds(10), "redis stopped");
    }

    static bool IsRunning(int pid) { try { return !Process.GetProcessById(pid).HasExited; } catch (ArgumentException) { return false; } }

    internal static async Task<string> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(start)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return stdout + stderr;
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A PostgreSQL server of the scenario's own (deploy/local/postgres.sh), so it can be stopped and started again.</summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "epigrid-chaos-pg-" + Guid.NewGuid().ToString("N")[..8]);
    public int Port { get; } = FreePort.Next();
    /// <summary>A short connect timeout: with the server down a request should fail within seconds, never hang.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "epigrid", MaxPoolSize = 20, Timeout = 3,
    }.ConnectionString;

    public async Task Start()
    {
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        await Script("start");
    }

    /// <summary>Starts this server as the synchronous hot standby of <paramref name="primary"/> (postgres.sh standby).</summary>
    public async Task StartStandbyOf(PrivatePostgres primary)
    {
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        await Script("standby", primary.Port.ToString());
    }

    /// <summary>The standby becomes a primary: the operator's part on failover (pg_ctl promote).</summary>
    public Task Promote() => Script("promote");

    /// <summary>SIGKILL: the machine is lost, nothing shuts down cleanly.</summary>
    public Task Kill() => Script("kill");

    public Task Stop() => Script("stop");

    /// <summary>
    /// One connection string naming both servers, as a client of a primary with a standby is configured: writers ask for a
    /// read-write session (whichever server is the primary now), readers of the history may prefer the standby.
    /// </summary>
    public static string Both(PrivatePostgres first, PrivatePostgres second, string targetSessionAttributes = "read-write") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = $"127.0.0.1:{first.Port},127.0.0.1:{second.Port}", Username = "postgres", Database = "epigrid", MaxPoolSize = 20, Timeout = 3,
            TargetSessionAttributes = targetSessionAttributes, HostRecheckSeconds = 2,
        }.ConnectionString;

    async Task Script(string command, string? last = null)
    {
        var script = Path.Combine(Repository.Root, "deploy", "local", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script, command, dir, Port.ToString(), last ?? "epigrid"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {command} failed: {err}");
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Stop();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
