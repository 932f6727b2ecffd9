using EpiGrid.Grains.Storage;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Marten;
using JasperFx;
using Npgsql;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// Issue 18: a cell's activation reads its stream with the same statement every time, and PostgreSQL parsed and planned
/// it anew for each cell (most of its cost, BENCHMARKS.md "Statements prepared once a connection"). The event
/// store's pool now prepares statements run often on their connection, unless the connection string says otherwise.
/// </summary>
public sealed class PreparedStatementTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task A_stream_read_run_again_and_again_is_prepared_on_its_connection()
    {
        var prepared = await PreparedAfterStreamReads(app.Database.AppConnectionString);
        prepared.ShouldContain(s => s.Contains("from epigrid.mt_events as d", StringComparison.OrdinalIgnoreCase)
            && s.Contains("stream_id", StringComparison.Ordinal), string.Join("\n", prepared));
    }

    [Fact]
    public async Task A_connection_string_that_names_its_own_setting_wins()
    {
        var prepared = await PreparedAfterStreamReads($"{app.Database.AppConnectionString};Max Auto Prepare=0");
        prepared.ShouldNotContain(s => s.Contains("mt_events", StringComparison.OrdinalIgnoreCase), string.Join("\n", prepared));
    }

    /// <summary>
    /// Reads a cell's stream ten times through a store configured as the silo's, on a pool of one connection, then lists
    /// the statements prepared on that connection.
    /// </summary>
    static async Task<List<string>> PreparedAfterStreamReads(string connectionString)
    {
        using var store = DocumentStore.For(o =>
        {
            MartenSetup.Configure(o, new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString);
            o.AutoCreateSchemaObjects = AutoCreate.None;
        });
        var stream = StreamKeys.Cell("330102001001");
        for (var i = 0; i < 10; i++)
        {
            await using var session = store.QuerySession();
            (await session.Events.FetchStreamAsync(stream)).ShouldNotBeNull();
        }
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select statement from pg_prepared_statements", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var statements = new List<string>();
        while (await reader.ReadAsync()) statements.Add(reader.GetString(0));
        return statements;
    }
}
