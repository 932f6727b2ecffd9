using System.Text.RegularExpressions;
using EpiGrid.Grains.Audit;
using Marten;
using Npgsql;
using JasperFx;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// The two database roles. <see cref="Application"/> is what the platform reads and writes with: DML on the tables it
/// needs, never their owner, so it cannot disable or drop the chain's triggers nor alter the schema.
/// <see cref="Migration"/> owns the schema and is used only at start-up, for schema changes. Without one (a
/// single-role store, as before), the application role migrates itself and owns what it creates.
/// </summary>
public sealed record DatabaseRoles(string Application, string? Migration)
{
    public string Migrator => Migration ?? Application;
}

/// <summary>
/// Everything that changes the schema, run once at each silo start before anything is written: Marten's tables, the
/// event chain (<see cref="EventChainSql"/>), the reminder table, the registers' version, and the application role's rights.
/// </summary>
public sealed partial class SchemaMigration(DatabaseRoles roles, ILogger<SchemaMigration> log)
{
    public async Task Run(CancellationToken cancellationToken)
    {
        using (var owner = DocumentStore.For(o =>
               {
                   MartenSetup.Configure(o, roles.Migrator);
                   o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
               }))
            await owner.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var source = EventStoreDataSource.Create(roles.Migrator);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await EventChain.Install(connection, cancellationToken);
        await Execute(connection, PostgresReminderTable.InstallSql, cancellationToken);
        await Execute(connection, RegistersVersion.InstallSql, cancellationToken);
        if (roles.Migration is null)
        {
            log.LogWarning("No ConnectionStrings:MartenMigration: the platform runs as the owner of its schema, which can disable the event chain's triggers");
            return;
        }
        var application = new NpgsqlConnectionStringBuilder(roles.Application).Username
            ?? throw new InvalidOperationException("ConnectionStrings:Marten names no Username (the application role)");
        await Execute(connection, GrantsTo(application), cancellationToken);
        log.LogInformation("Schema {Schema} migrated; role {Role} may read and write, not alter it", MartenSetup.Schema, application);
    }

    /// <summary>
    /// The application role's rights, granted afresh at each start (new tables get them too). The event history and its
    /// chain are append-only for it: insert and select on <c>mt_events</c>, select only on the chain (its trigger
    /// functions write with their owner's rights), insert and select on the digests.
    /// </summary>
    public static string GrantsTo(string role)
    {
        if (!RoleName().IsMatch(role)) throw new InvalidOperationException($"'{role}' is not a plain role name ([a-z_][a-z0-9_]*)");
        const string S = MartenSetup.Schema;
        return $"""
            grant usage on schema {S} to "{role}";
            grant select, insert, update, delete on all tables in schema {S} to "{role}";
            revoke update, delete, truncate, trigger, references on {S}.mt_events from "{role}";
            revoke insert, update, delete, truncate, trigger, references on {EventChain.ChainTable}, {EventChain.StateTable} from "{role}";
            revoke update, delete, truncate, trigger, references on {EventChain.DigestTable} from "{role}";
            grant usage, select on all sequences in schema {S} to "{role}";
            grant execute on all functions in schema {S} to "{role}";
            """;
    }

    static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex RoleName();
}
