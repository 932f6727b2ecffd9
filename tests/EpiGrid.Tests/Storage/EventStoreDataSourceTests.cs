using EpiGrid.Grains.Storage;
using Npgsql;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// Connection strings that name a primary and its standbys (issue 20), as libpq's do. Npgsql 9 refuses
/// <c>Target Session Attributes</c> on a multi-host data source built from such a string ("cannot be specified"): the silo
/// did not start with one until every pool was opened through <see cref="EventStoreDataSource"/>. The failover itself is
/// the postgres-failover fault scenario; these run without it (EPIGRID_CHAOS=0 too).
/// </summary>
public sealed class EventStoreDataSourceTests
{
    const string TwoHosts = "Host=127.0.0.1:5432,127.0.0.1:5433;Username=epigrid_app;Database=epigrid";

    [Theory]
    [InlineData("read-write")]
    [InlineData("prefer-standby")]
    [InlineData("primary")]
    public async Task A_string_naming_two_hosts_and_the_session_wanted_opens_a_pool(string attributes)
    {
        Should.Throw<InvalidOperationException>(() => NpgsqlDataSource.Create($"{TwoHosts};Target Session Attributes={attributes}"),
            "Npgsql alone refuses it: the reason this class exists");
        await using var source = EventStoreDataSource.Create($"{TwoHosts};Target Session Attributes={attributes}");
        source.ShouldNotBeNull();
        new NpgsqlConnectionStringBuilder(source.ConnectionString).Host.ShouldBe("127.0.0.1:5432,127.0.0.1:5433");
    }

    [Fact]
    public async Task A_single_host_or_two_hosts_without_an_attribute_are_opened_as_Npgsql_opens_them()
    {
        await using var one = EventStoreDataSource.Create("Host=127.0.0.1;Port=5432;Username=epigrid_app;Database=epigrid");
        new NpgsqlConnectionStringBuilder(one.ConnectionString).Port.ShouldBe(5432);
        await using var two = EventStoreDataSource.Create(TwoHosts);
        two.ShouldBeOfType<NpgsqlMultiHostDataSource>();
    }

    [Fact]
    public void An_attribute_libpq_does_not_know_is_refused_naming_the_setting()
    {
        var refused = Should.Throw<ArgumentException>(() => EventStoreDataSource.Create($"{TwoHosts};Target Session Attributes=read-mostly"));
        refused.Message.ShouldContain("target session attributes", Case.Insensitive);
    }
}
