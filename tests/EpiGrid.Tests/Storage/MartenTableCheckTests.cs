using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// The silo refuses to start when Marten's tables lost a column or key that <see cref="EventRows"/> writes by hand,
/// naming each missing piece and the Marten version the names were read from; a normal store starts.
/// </summary>
public sealed class MartenTableCheckTests
{
    [Fact]
    public async Task A_normal_store_passes_and_a_silo_starts_on_it()
    {
        await using var database = await TestDatabase.Create();
        await using (var silo = await Start(database)) { }
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        (await MartenTableCheck.Problems(connection, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_renamed_column_and_key_stop_the_silo_with_one_message_naming_them()
    {
        await using var database = await TestDatabase.Create();
        await using (var silo = await Start(database)) { }
        // What a Marten upgrade that renamed them would leave. Marten's own migration at start re-creates what its
        // release expects (the names here, in 9.58): a release expecting other names would leave these missing, so the
        // silo below starts without the migration, on the store as it is.
        await Execute(database, $"alter table epigrid.mt_events rename column {MartenTables.E.DotNetType} to dotnet_type_renamed");
        await Execute(database, $"alter table epigrid.mt_events rename constraint {MartenTables.EventStreamConstraint} to renamed_stream_foreign_key");
        await Execute(database, $"alter index epigrid.{MartenTables.StreamVersionIndex} rename to renamed_stream_version_key");
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            var problems = await MartenTableCheck.Problems(connection, CancellationToken.None);
            problems.ShouldContain($"column epigrid.mt_events.{MartenTables.E.DotNetType} is missing");
            problems.ShouldContain($"constraint {MartenTables.StreamVersionIndex} on epigrid.mt_events is missing");
            problems.ShouldContain($"constraint {MartenTables.EventStreamConstraint} on epigrid.mt_events is missing");
        }
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => Start(database, migrate: false));
        refused.Message.ShouldContain("Marten " + MartenTables.MartenVersion);
        refused.Message.ShouldContain($"column epigrid.mt_events.{MartenTables.E.DotNetType} is missing");
        refused.Message.ShouldContain($"constraint {MartenTables.StreamVersionIndex} on epigrid.mt_events is missing");
    }

    static Task<TestSilo> Start(TestDatabase database, bool migrate = true) =>
        TestSilo.Start(database.AppConnectionString, new FakeTimeProvider(EpiGridApp.Start), "check-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string?> { ["ConnectionStrings:MartenMigration"] = database.MigrationConnectionString },
            decorate: services =>
            {
                if (!migrate) services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EventChainInstaller)));
            });

    static async Task Execute(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
