using EpiGrid.Alerts;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.People;
using EpiGrid.People;
using EpiGrid.Grains.Resumption;
using EpiGrid.Resumption;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Weasel.Core;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

public static class MartenSetup
{
    public const string Schema = "epigrid";

    /// <summary>
    /// Marten as EpiGrid's event store: string stream keys, stable event names, indexed registers. The store the
    /// platform uses never changes the schema (AutoCreate.None): <see cref="SchemaMigration"/> does, at start, with the
    /// migration role when <paramref name="migrationConnectionString"/> is given.
    /// </summary>
    public static IServiceCollection AddEpiGridMarten(this IServiceCollection services, string connectionString, string? migrationConnectionString = null)
    {
        services.AddSingleton(new DatabaseRoles(connectionString, string.IsNullOrWhiteSpace(migrationConnectionString) ? null : migrationConnectionString));
        services.AddSingleton<SchemaMigration>();
        services.AddMarten(options =>
        {
            Configure(options, connectionString);
            options.AutoCreateSchemaObjects = AutoCreate.None;
        });
        return services;
    }

    public static void Configure(StoreOptions options, string connectionString)
    {
        options.Connection(EventStoreDataSource.Create(WithPoolSettings(connectionString)));
        options.DatabaseSchemaName = Schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.StreamIdentity = StreamIdentity.AsString;
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        foreach (var (type, name) in StoredEvents.All)
            options.Events.MapEventType(type, name);
        // CaseId: a contact list names its case by id alone (POST /cases/{caseId}/contacts).
        options.Schema.For<CaseRecord>().Index(x => x.County).Index(x => x.CellId).Index(x => x.CaseId!).Index(x => x.InfectedBy!).Index(x => x.ClusterId!);
        options.Schema.For<CellRecord>().Index(x => x.County);
        // One number, one alert: two ledger activations overlapping in a fail-over cannot both use a number (AlertSequence).
        // Status: the ledger's start reads the open alerts with a due time, a few among every alert of a long outbreak (issue 18).
        // Audience: a grid worker's catch-up asks for its few cells' alerts among every alert of the province; without this
        // index PostgreSQL walks the sequence index through all of them (1.7 s at 1,000,000 alerts, BENCHMARKS.md).
        options.Schema.For<AlertRecord>().Duplicate(x => x.Seq, configure: index => index.IsUnique = true).Index(x => x.County).Index(x => x.Status)
            .GinIndexJsonDataMember(x => x.Audience);
        options.Schema.For<AlertSweepCheckpoint>();
        options.Schema.For<PersonRecord>().Index(x => x.County);
        options.Schema.For<EnterpriseRecord>().Index(x => x.County);
        options.Schema.For<ResumptionDayRecord>().Index(x => x.County);
    }

    /// <summary>
    /// The event store's pool settings, each unless the connection string names it (a connection string that says
    /// otherwise wins):
    /// <list type="bullet">
    /// <item>A pooled connection is not reset (<c>DISCARD ALL</c>, a round trip and ~27 µs of PostgreSQL) each time a
    /// session gives it back: a cell's activation, a lone save. Safe because nothing here leaves session state on a
    /// connection (no SET outside a transaction, no session advisory locks, temporary tables or LISTEN). Measured on this
    /// machine type: one-event saves ~1,500 → ~3,850/s (BENCHMARKS.md).</item>
    /// <item>Statements run often are prepared on their connection (<c>Max Auto Prepare</c>, <see cref="AutoPrepared"/>
    /// of them a connection, least recently used closed first): a cell's activation reads its stream with the same
    /// text every time, and PostgreSQL parsed and planned it anew for each of the 85,000 cells (most of its ~0.4 ms);
    /// register upserts and alert inserts likewise. PostgreSQL re-plans a prepared statement whose table gained an
    /// index; one whose result columns a migration retyped fails its next run (a write in it is answered as any store
    /// failure: 503, nothing committed).
    /// Measured in BENCHMARKS.md ("Statements prepared once a connection").</item>
    /// </list>
    /// </summary>
    static string WithPoolSettings(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var named = connectionString.Replace(" ", "");
        if (!named.Contains("ResetOnClose", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        if (!named.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = AutoPrepared;
        return builder.ConnectionString;
    }

    /// <summary>Statements prepared a connection at most: more than the platform's hot statements, few enough to bound a backend's memory.</summary>
    const int AutoPrepared = 64;
}
