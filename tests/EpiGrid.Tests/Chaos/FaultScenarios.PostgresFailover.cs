using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using Npgsql;

namespace EpiGrid.Tests.Chaos;

public sealed partial class FaultScenarios
{
    /// <summary>
    /// The event store's machine is lost (issue 20): a primary with a synchronous standby, the platform's connection strings
    /// naming both (writers ask for a read-write session, the history's reads prefer the standby); under load the primary
    /// is SIGKILLed and, a few seconds later, the standby promoted (the operator's part, as Patroni or CloudNativePG do it).
    /// Every report answered before, during and after is on the new primary; writes come back by themselves, with 503 and
    /// never 500 meanwhile; the hash chain verifies there; the reminders are there.
    /// </summary>
    [ChaosFact]
    public async Task Kill_9_the_PostgreSQL_primary_promote_its_synchronous_standby_and_no_acknowledged_report_is_lost()
    {
        await using var primary = new PrivatePostgres();
        await primary.Start();
        await using var standby = new PrivatePostgres();
        await standby.StartStandbyOf(primary);
        (await primary.Scalar<string>("select sync_state from pg_stat_replication")).ShouldBe("sync", "the standby is synchronous");
        await using var redis = new PrivateRedis();
        await redis.Start();
        await using var cluster = new ClusterUnderTest(PrivatePostgres.Both(primary, standby), redis.ConnectionString);
        cluster.SiloSettings["ConnectionStrings__MartenHistory"] = PrivatePostgres.Both(standby, primary, "prefer-standby");
        await cluster.StartSilo(SeedCells);
        await cluster.StartSilo();
        var web = ClusterUnderTest.Address(await cluster.StartWeb());
        var cells = await Cells(primary.ConnectionString, 60);
        using var ingest = ReportLoad.Client(web, await ReportLoad.DevToken(web, "ingest"));
        using var admin = ReportLoad.Client(web, await ReportLoad.DevToken(web, "admin"));

        var load = new ReportLoad(cells, _ => ingest);
        load.Start(Workers);
        await Task.Delay(Warm);
        var reminders = await primary.Scalar<long>($"select count(*) from {EpiGrid.Grains.Storage.PostgresReminderTable.Table}");
        var killedAt = load.Now;
        await primary.Kill();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the operator (Patroni, CloudNativePG) notices and decides
        var promotedAt = load.Now;
        await standby.Promote();
        var recovered = await Until(() => Task.FromResult(load.Between(promotedAt, load.Now).Any(a => !a.Failed)), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var during = load.Between(killedAt, promotedAt + recovered).ToList();
        var (failed, requests) = load.Share(killedAt, load.Now);
        await load.Stop(RetryFor);

        // The chain verifies on the new primary (read through the history's own, standby-preferring pool), and the
        // reminders registered on the old primary are there: a silo that starts now reads them.
        var verify = await admin.GetAsync("/api/v1/audit/verify");
        verify.IsSuccessStatusCode.ShouldBeTrue(await verify.Content.ReadAsStringAsync());
        var verified = (await verify.Content.ReadFromJsonAsync<JsonObject>())!;
        var remindersNow = await standby.Scalar<long>($"select count(*) from {EpiGrid.Grains.Storage.PostgresReminderTable.Table}");
        var outcomes = string.Join(" ", during.GroupBy(a => a.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
        var verdict = await Judge("postgres-failover", standby.ConnectionString, load, admin, failed, requests,
            $"primary killed, standby promoted 3 s later; until writes returned: {outcomes}; first success {recovered.TotalSeconds:0.0} s after the promotion; "
            + $"chain verified on the new primary: {verified["ok"]} ({verified["checkedEvents"]} events); reminders {reminders} → {remindersNow}");
        verdict.Lost.ShouldBe(0, cluster.Output);
        load.GivenUp.ShouldBeEmpty("every report was acknowledged in the end: clients retry idempotently through the failover");
        during.ShouldNotContain(a => a.Outcome == "500" || a.Outcome == "timeout", outcomes);
        during.Where(a => a.Failed).ShouldAllBe(a => a.Outcome == "503", outcomes);
        load.Between(promotedAt, load.Now).ShouldNotContain(a => a.Outcome == "500" || a.Outcome == "timeout", "no 500 while recovering either");
        recovered.ShouldBeLessThan(TimeSpan.FromSeconds(30), "writes succeed again within 30 s of the promotion");
        verified["ok"]!.GetValue<bool>().ShouldBeTrue(verified.ToJsonString());
        remindersNow.ShouldBeGreaterThanOrEqualTo(reminders, "every reminder row is on the new primary");
        remindersNow.ShouldBeGreaterThan(0);

        // Reminders from the new primary: a silo started now takes its share of the ring and reads its reminders from there.
        var late = await cluster.StartSilo();
        var joined = await Until(async () => (await ActiveSilos(admin)) == 3, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var lateErrors = cluster.Output.Split('\n').Where(l => l.StartsWith($"[{late.Name}]", StringComparison.Ordinal)
            && l.Contains("eminder", StringComparison.Ordinal) && (l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase))).ToList();
        lateErrors.ShouldBeEmpty("the reminder service of a silo started after the failover reads the new primary");
        output.WriteLine($"a silo started after the failover joined in {joined.TotalSeconds:0.0} s, its reminder service without error");
    }
}
