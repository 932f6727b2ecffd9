using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Npgsql;

namespace EpiGrid.Tests.Security;

/// <summary>One heavy read of each kind at a time (the defaults allow more), timeouts left as shipped.</summary>
public sealed class OneHeavyReadApp : EpiGridApp
{
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["HeavyReads:Events:MaxConcurrent"] = "1",
        ["HeavyReads:Export:MaxConcurrent"] = "1",
        ["HeavyReads:Verify:MaxConcurrent"] = "1",
        ["HeavyReads:Replay:MaxConcurrent"] = "1",
    };
}

/// <summary>Heavy reads that must give up after half a second.</summary>
public sealed class ImpatientReadsApp : EpiGridApp
{
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["HeavyReads:Events:Timeout"] = "00:00:00.5",
        ["HeavyReads:Export:Timeout"] = "00:00:00.5",
        ["HeavyReads:Verify:Timeout"] = "00:00:00.5",
        ["HeavyReads:Replay:Timeout"] = "00:00:00.5",
    };
}

/// <summary>
/// Holds the events table locked (ACCESS EXCLUSIVE) so that any read of it waits: a heavy read started meanwhile
/// stays in flight for as long as the test wants, with no test double in the platform.
/// </summary>
public sealed class EventsTableLock : IAsyncDisposable
{
    readonly NpgsqlConnection connection;
    readonly string connectionString;

    EventsTableLock(NpgsqlConnection connection, string connectionString) => (this.connection, this.connectionString) = (connection, connectionString);

    public static async Task<EventsTableLock> Take(TestDatabase database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("begin; lock table epigrid.mt_events in access exclusive mode", connection);
        await command.ExecuteNonQueryAsync();
        return new EventsTableLock(connection, database.ConnectionString);
    }

    /// <summary>Until someone (or <paramref name="atLeast"/> sessions) waits for the lock: the reads under test are past their gate and in flight.</summary>
    public async Task UntilSomeoneWaits(int atLeast = 1) => await Eventually.True(async () =>
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var q = new NpgsqlCommand("select count(*) from pg_locks where not granted and relation = 'epigrid.mt_events'::regclass", c);
        return (long)(await q.ExecuteScalarAsync())! >= atLeast;
    }, TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await using (var command = new NpgsqlCommand("rollback", connection)) await command.ExecuteNonQueryAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>The four heavy reads by path and the role that may ask.</summary>
public static class HeavyReads
{
    static readonly string KnownAt = Uri.EscapeDataString(EpiGridApp.Start.AddHours(-1).ToString("O"));

    public static readonly (string Kind, string Path, string Role)[] All =
    [
        ("Events", "/api/v1/audit/events?kind=case_reported", Roles.Auditor),
        ("Export", "/api/v1/audit/export", Roles.Auditor),
        ("Verify", "/api/v1/audit/verify", Roles.Auditor),
        ("Replay", $"/api/v1/province/resumption/history?knownAt={KnownAt}", Roles.Auditor),
    ];
}

/// <summary>Over the cap: a second heavy read of a kind, while one runs, is answered 429 at once.</summary>
public sealed class HeavyReadCapTests(OneHeavyReadApp app) : IClassFixture<OneHeavyReadApp>
{
    [Theory]
    [InlineData("Events")]
    [InlineData("Export")]
    [InlineData("Verify")]
    [InlineData("Replay")]
    public async Task A_heavy_read_over_the_cap_gets_429_problem_while_another_runs(string kind)
    {
        var (_, path, role) = HeavyReads.All.Single(h => h.Kind == kind);
        using var first = app.As(role);
        using var second = app.As(role);
        first.Timeout = TimeSpan.FromMinutes(2);
        second.Timeout = TimeSpan.FromSeconds(20);
        Task<HttpResponseMessage> running;
        await using (var locked = await EventsTableLock.Take(app.Database))
        {
            running = first.GetAsync(path);
            await locked.UntilSomeoneWaits();

            var refused = await second.GetAsync(path);

            refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, await refused.Content.ReadAsStringAsync());
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            refused.Headers.RetryAfter.ShouldNotBeNull();
            (await refused.Body())["detail"]!.GetValue<string>().ShouldContain($"HeavyReads:{kind}:MaxConcurrent");
        }
        var done = await running;
        done.StatusCode.ShouldBe(HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
        await done.Content.ReadAsStringAsync();
        // The slot is given back: the same read now goes through.
        await Eventually.True(async () => (await second.GetAsync(path)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
    }
}

/// <summary>
/// The history's reads run in the silo's stateless history grain: heavy reads of every kind in flight there (each held by
/// the locked events table) do not hold up a light one that reads elsewhere (a county's trend, from the case register).
/// </summary>
public sealed class HeavyReadsInFlightTests(OneHeavyReadApp app) : IClassFixture<OneHeavyReadApp>
{
    [Fact]
    public async Task A_county_trend_is_answered_while_an_event_query_an_export_and_a_verification_wait_in_the_silo()
    {
        using var auditor = app.As(Roles.Auditor);
        using var official = app.As(Roles.ProvinceOfficial);
        auditor.Timeout = TimeSpan.FromMinutes(2);
        var heavy = new List<Task<HttpResponseMessage>>();
        await using (var locked = await EventsTableLock.Take(app.Database))
        {
            foreach (var kind in new[] { "Events", "Export", "Verify" })
            {
                heavy.Add(auditor.GetAsync(HeavyReads.All.Single(h => h.Kind == kind).Path));
                await locked.UntilSomeoneWaits(heavy.Count);
            }
            await Task.Delay(200);
            heavy.ShouldAllBe(t => !t.IsCompleted, "the heavy reads wait on the lock");

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var trend = await official.GetAsync("/api/v1/web/counties/330782/trend?days=7");
            trend.StatusCode.ShouldBe(HttpStatusCode.OK, await trend.Content.ReadAsStringAsync());
            (await trend.Body())["days"]!.AsArray().Count.ShouldBe(7);
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "not queued behind the heavy reads");
        }
        foreach (var done in await Task.WhenAll(heavy)) done.StatusCode.ShouldBe(HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
    }
}

/// <summary>Past its timeout a heavy read is stopped and answered 503 problem naming the setting.</summary>
public sealed class HeavyReadTimeoutTests(ImpatientReadsApp app) : IClassFixture<ImpatientReadsApp>
{
    [Theory]
    [InlineData("Events")]
    [InlineData("Export")]
    [InlineData("Verify")]
    [InlineData("Replay")]
    public async Task A_heavy_read_past_its_timeout_is_503_problem(string kind)
    {
        var (_, path, role) = HeavyReads.All.Single(h => h.Kind == kind);
        using var client = app.As(role);
        client.Timeout = TimeSpan.FromSeconds(30);
        HttpResponseMessage answer;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (await EventsTableLock.Take(app.Database))
            answer = await client.GetAsync(path);

        answer.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await answer.Content.ReadAsStringAsync());
        answer.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await answer.Body())["detail"]!.GetValue<string>().ShouldContain($"HeavyReads:{kind}:Timeout");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "given up at the timeout, not at the lock's release");
    }
}
