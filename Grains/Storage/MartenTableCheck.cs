using Npgsql;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Checks at start that Marten's tables still have what <see cref="MartenTables"/> lists, after the schema is
/// migrated and before anything is written. Read from the catalogue (information_schema, pg_catalog): any role may.
/// </summary>
public static class MartenTableCheck
{
    /// <summary>Each missing or incompatible piece, as a sentence; empty when all is there.</summary>
    public static async Task<IReadOnlyList<string>> Problems(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var types = new Dictionary<(string, string), string>();
        await using (var command = new NpgsqlCommand(
            "select table_name, column_name, data_type from information_schema.columns where table_schema = @schema", connection))
        {
            command.Parameters.AddWithValue("schema", MartenSetup.Schema);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) types[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }
        var keys = new HashSet<(string, string)>();
        // A key may be a constraint or only a unique index, depending on how Marten declares it.
        await using (var command = new NpgsqlCommand("""
            select t.relname, c.conname from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace where n.nspname = @schema
            union select tablename, indexname from pg_indexes where schemaname = @schema
            """, connection))
        {
            command.Parameters.AddWithValue("schema", MartenSetup.Schema);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) keys.Add((reader.GetString(0), reader.GetString(1)));
        }
        var sequences = new HashSet<string>();
        await using (var command = new NpgsqlCommand("select sequence_name from information_schema.sequences where sequence_schema = @schema", connection))
        {
            command.Parameters.AddWithValue("schema", MartenSetup.Schema);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) sequences.Add(reader.GetString(0));
        }

        var problems = new List<string>();
        foreach (var (table, column, fits) in MartenTables.Columns)
        {
            if (!types.TryGetValue((table, column), out var type)) problems.Add($"column {MartenSetup.Schema}.{table}.{column} is missing");
            else if (!fits.Contains(type)) problems.Add($"column {MartenSetup.Schema}.{table}.{column} is {type}, expected {string.Join(" or ", fits)}");
        }
        foreach (var (table, name) in MartenTables.Keys)
            if (!keys.Contains((table, name))) problems.Add($"constraint {name} on {MartenSetup.Schema}.{table} is missing");
        foreach (var name in MartenTables.Sequences)
            if (!sequences.Contains(name)) problems.Add($"sequence {MartenSetup.Schema}.{name} is missing");
        return problems;
    }

    /// <summary>Throws, naming every problem, when Marten's tables are not the ones EpiGrid writes by hand.</summary>
    public static async Task Ensure(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var problems = await Problems(connection, cancellationToken);
        if (problems.Count > 0)
            throw new InvalidOperationException(
                $"Marten's tables do not match what EpiGrid writes by hand (EventRows; expected as Marten {MartenTables.MartenVersion} " +
                $"creates them): {string.Join("; ", problems)}. The silo refuses to start: check the Marten version and Grains/Storage/MartenTables.cs.");
    }
}
