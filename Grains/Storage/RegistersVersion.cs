using Npgsql;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// The shape of the registers, as a number. Bump <see cref="Current"/> when a register's document or what the live
/// path writes into it changes: the next silo start finds the store rebuilt with an older number and rebuilds them
/// (<see cref="StoreReadiness"/>), so no register keeps rows of the old shape.
/// </summary>
public static class RegistersVersion
{
    /// <summary>
    /// 1: cells, cases (ids scoped by county), persons and alerts rebuilt from their streams. 2: cases carry their person
    /// and the case that infected them; persons include their cases and contacts (issue 16).
    /// </summary>
    public const int Current = 2;

    public const string Table = MartenSetup.Schema + ".registers_version";

    /// <summary>One row: the version the registers were last rebuilt with. Run by the migration role (<see cref="SchemaMigration"/>).</summary>
    public const string InstallSql = $"""
        create table if not exists {Table} (
            only_row boolean primary key default true check (only_row),
            version integer not null,
            rebuilt_at timestamptz not null default now());
        """;

    /// <summary>The version the registers were last rebuilt with; 0 if never.</summary>
    public static async Task<int> Stored(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select coalesce(max(version), 0) from {Table}", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task Store(NpgsqlConnection connection, int version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {Table} (version) values (@v) on conflict (only_row) do update set version = excluded.version, rebuilt_at = now()", connection);
        command.Parameters.AddWithValue("v", version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
