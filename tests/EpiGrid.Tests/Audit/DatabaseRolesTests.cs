using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// The platform's own database credentials cannot rewrite the history: its role may append events but not disable or
/// drop the chain's triggers, nor change a chained hash or a digest taken. The schema is changed at start by a separate
/// migration role.
/// </summary>
[Collection(AuditApp.Collection)]
public sealed class DatabaseRolesTests(AuditApp app) : IClassFixture<AuditApp>
{
    [Fact]
    public async Task The_application_role_works_but_cannot_disable_or_drop_the_chain_nor_rewrite_it()
    {
        const string cell = "330112-001-001";
        await app.RegisterCell(cell);
        await app.Report(cell, "roles-case-1");
        (await app.TakeDigest()).ShouldNotBeNull("the platform writes and digests under its role");

        // Exactly what the platform connects with.
        var platform = app.Silo.Services.GetRequiredService<IConfiguration>().GetConnectionString("Marten")!;
        await using var connection = new NpgsqlConnection(platform);
        await connection.OpenAsync();
        foreach (var sql in new[]
                 {
                     "alter table epigrid.mt_events disable trigger event_chain",
                     "alter table epigrid.mt_events disable trigger all",
                     "drop trigger event_chain on epigrid.mt_events",
                     "drop trigger event_chain_xid on epigrid.mt_events",
                     "update epigrid.event_chain set hash = sha256(hash)",
                     "delete from epigrid.event_chain",
                     "update epigrid.mt_events set data = data",
                     "delete from epigrid.mt_events",
                     "update epigrid.chain_digest set digest = sha256(digest)",
                     "delete from epigrid.chain_digest",
                     "create or replace function epigrid.chain_take_xid() returns trigger language plpgsql as $$ begin return null; end $$",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Should.ThrowAsync<PostgresException>(() => command.ExecuteNonQueryAsync(), sql);
            refused.SqlState.ShouldBeOneOf(["42501"], $"{sql}: {refused.MessageText}"); // insufficient_privilege / must be owner
        }

        var verified = await app.Get("/api/v1/audit/verify");
        verified["ok"]!.GetValue<bool>().ShouldBeTrue(verified.ToJsonString());
    }
}
