using Npgsql;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database per fixture on the server test.sh started (EPIGRID_TEST_POSTGRES).
/// <see cref="ConnectionString"/> is the server's superuser, for tests that act behind the platform's back; the
/// platform itself gets <see cref="AppConnectionString"/> (a role that may read and write, not alter the schema) and
/// <see cref="MigrationConnectionString"/> (the schema's owner), as run.sh and the deploy files give it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string MigrationRole = "epigrid_migrator", AppRole = "epigrid_app";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("EPIGRID_TEST_POSTGRES")
        ?? throw new InvalidOperationException("EPIGRID_TEST_POSTGRES is not set: run the tests through ./test.sh");

    TestDatabase(string name)
    {
        Name = name;
        // Several platforms run in parallel, each waking 90 counties at once: a small pool each keeps the server
        // well under its connection limit.
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;
        AppConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = AppRole }.ConnectionString;
        MigrationConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = MigrationRole, MaxPoolSize = 2 }.ConnectionString;
    }

    public string AppConnectionString { get; }
    public string MigrationConnectionString { get; }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> Create()
    {
        var db = new TestDatabase("epigrid_test_" + Guid.NewGuid().ToString("N")[..12]);
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync();
        await CreateRoles(conn);
        await using var cmd = new NpgsqlCommand($"create database {db.Name} owner {MigrationRole}", conn);
        await cmd.ExecuteNonQueryAsync();
        return db;
    }

    /// <summary>The two roles, once per server (the test server trusts loopback: no passwords).</summary>
    static async Task CreateRoles(NpgsqlConnection conn)
    {
        foreach (var role in new[] { MigrationRole, AppRole })
        {
            await using var cmd = new NpgsqlCommand($"create role {role} login", conn);
            try { await cmd.ExecuteNonQueryAsync(); }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation) { }
        }
    }

    public async Task<T> Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T));
    }

    /// <summary>One statement that returns nothing (DDL, <c>analyze</c>), outside any transaction, as the superuser.</summary>
    public async Task Execute(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Events in the cells' streams, which is where requests write; 0 before Marten created its tables.
    /// Counties record colour changes on their own schedule, so they are left out.
    /// </summary>
    public async Task<long> CellEventCount()
    {
        var exists = await Scalar<bool>("select to_regclass('epigrid.mt_events') is not null");
        return exists ? await Scalar<long>("select count(*) from epigrid.mt_events where stream_id like 'cell:%'") : 0;
    }

    public async Task<List<T>> Rows<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
