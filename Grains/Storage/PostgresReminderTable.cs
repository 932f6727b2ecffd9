using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Orleans reminders kept in PostgreSQL, beside the event store (table <c>epigrid.orleans_reminders</c>). A reminder
/// is a deadline: it must outlive the silo that registered it, a restart of the whole platform and a restart of Redis
/// (whose local-cluster instance keeps nothing on disk), so it lives with the truth. Rows are keyed by service id,
/// grain and reminder name; the grain's uniform hash is stored so each silo reads only its share of the ring.
/// </summary>
public sealed class PostgresReminderTable(NpgsqlDataSource data, IOptions<ClusterOptions> cluster) : IReminderTable
{
    public const string Table = MartenSetup.Schema + ".orleans_reminders";

    public const string InstallSql = $"""
        create schema if not exists {MartenSetup.Schema};
        select pg_advisory_xact_lock(hashtext('{Table}'));
        create table if not exists {Table} (
            service_id    text        not null,
            grain_id      text        not null,
            reminder_name text        not null,
            grain_hash    bigint      not null,
            start_at      timestamptz not null,
            period_ms     bigint      not null,
            etag          bigint      not null,
            primary key (service_id, grain_id, reminder_name));
        create index if not exists orleans_reminders_ring on {Table} (service_id, grain_hash);
        """;

    const string Columns = "grain_id, reminder_name, start_at, period_ms, etag";

    string ServiceId => cluster.Value.ServiceId;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await data.OpenConnectionAsync(cancellationToken);
        // The silo's schema migration creates the table with the migration role; the application role may not.
        await using (var exists = new NpgsqlCommand($"select to_regclass('{Table}') is not null", connection))
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var install = new NpgsqlCommand(InstallSql, connection, transaction)) await install.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ReminderTableData> ReadRows(GrainId grainId) =>
        new(await Read($"select {Columns} from {Table} where service_id = $1 and grain_id = $2", ServiceId, grainId.ToString()));

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        // The range is (begin, end] on the ring; when begin >= end it wraps around zero.
        var wraps = begin >= end;
        var sql = $"select {Columns} from {Table} where service_id = $1 and " +
                  (wraps ? "(grain_hash > $2 or grain_hash <= $3)" : "grain_hash > $2 and grain_hash <= $3");
        return new(await Read(sql, ServiceId, (long)begin, (long)end));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await Read($"select {Columns} from {Table} where service_id = $1 and grain_id = $2 and reminder_name = $3",
            ServiceId, grainId.ToString(), reminderName)).SingleOrDefault();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        await using var command = data.CreateCommand($"""
            insert into {Table} (service_id, grain_id, reminder_name, grain_hash, start_at, period_ms, etag)
            values ($1, $2, $3, $4, $5, $6, 1)
            on conflict (service_id, grain_id, reminder_name)
            do update set start_at = excluded.start_at, period_ms = excluded.period_ms, etag = {Table}.etag + 1
            returning etag
            """);
        command.Parameters.Add(new() { Value = ServiceId });
        command.Parameters.Add(new() { Value = entry.GrainId.ToString() });
        command.Parameters.Add(new() { Value = entry.ReminderName });
        command.Parameters.Add(new() { Value = (long)entry.GrainId.GetUniformHashCode() });
        command.Parameters.Add(new() { Value = DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (long)entry.Period.TotalMilliseconds });
        return ((long)(await command.ExecuteScalarAsync())!).ToString();
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, out var etag)) return false;
        await using var command = data.CreateCommand($"delete from {Table} where service_id = $1 and grain_id = $2 and reminder_name = $3 and etag = $4");
        command.Parameters.Add(new() { Value = ServiceId });
        command.Parameters.Add(new() { Value = grainId.ToString() });
        command.Parameters.Add(new() { Value = reminderName });
        command.Parameters.Add(new() { Value = etag });
        return await command.ExecuteNonQueryAsync() > 0;
    }

    public async Task TestOnlyClearTable()
    {
        await using var command = data.CreateCommand($"delete from {Table} where service_id = $1");
        command.Parameters.Add(new() { Value = ServiceId });
        await command.ExecuteNonQueryAsync();
    }

    async Task<List<ReminderEntry>> Read(string sql, params object[] values)
    {
        await using var command = data.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new() { Value = value });
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = reader.GetFieldValue<DateTime>(2),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(),
            });
        return entries;
    }
}
