using EpiGrid.Alerts;
using EpiGrid.Grains.Alerts;
using EpiGrid.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EpiGrid.Tests.Storage;

/// <summary>Issue 14: the alert sequence had no unique index, so two ledgers overlapping in a fail-over could both use a number.</summary>
public sealed class AlertSequenceIndexTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task The_store_refuses_a_second_alert_with_a_sequence_number_already_used()
    {
        var store = app.Silo.Services.GetRequiredService<IDocumentStore>();
        var run = Guid.NewGuid().ToString("N")[..8];
        AlertRecord Record(string id) => AlertRecord.Raised(new AlertDraft(id, "test", Severities.Info, null, "330782", "test", EpiGridApp.Start,
            null, new Dictionary<string, string>(), [AlertGroups.Province], "test-1"), seq: 9_000_001);

        await using (var first = store.LightweightSession())
        {
            first.Insert(Record($"test:{run}:first"));
            await first.SaveChangesAsync();
        }
        await using var second = store.LightweightSession();
        second.Insert(Record($"test:{run}:second"));
        var refused = await Should.ThrowAsync<Exception>(() => second.SaveChangesAsync());
        var postgres = refused as PostgresException ?? refused.InnerException as PostgresException;
        postgres.ShouldNotBeNull(refused.ToString());
        postgres.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_doc_alertrecord where seq = 9000001")).ShouldBe(1);
    }
}
