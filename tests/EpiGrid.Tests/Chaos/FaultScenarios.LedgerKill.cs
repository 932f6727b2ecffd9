using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Chaos;

public sealed partial class FaultScenarios
{
    /// <summary>Short due times and sweeps, so that escalations fall due, and lost alerts are looked for, within the scenario.</summary>
    static readonly Dictionary<string, string> LedgerSettings = new()
    {
        ["Alerts__UrgentAcknowledgeWithin"] = "00:00:10",
        ["Alerts__HighAcknowledgeWithin"] = "00:00:10",
        ["Alerts__VisitWithin"] = "00:00:10",
        ["Alerts__EscalationCheckInterval"] = "00:00:02",
        ["Alerts__SweepInterval"] = "00:00:05",
        ["Travellers__WatchInterval"] = "00:00:02",
    };

    [ChaosFact]
    public async Task Kill_9_the_alert_ledgers_silo_while_person_alerts_are_due_every_alert_of_every_kind_exists_exactly_once()
    {
        await using var db = await TestDatabase.Create();
        await using var redis = new PrivateRedis();
        await redis.Start();
        await using var cluster = new ClusterUnderTest(db.ConnectionString, redis.ConnectionString);
        foreach (var (key, value) in LedgerSettings) cluster.SiloSettings[key] = value;
        var ledgerSilo = await cluster.StartSilo(SeedCells);
        var web = ClusterUnderTest.Address(await cluster.StartWeb());
        using var admin = ReportLoad.Client(web, await ReportLoad.DevToken(web, "admin"));
        // The ledger wakes while its silo is the only one, so it lives there when the others join.
        (await admin.GetAsync("/api/v1/alerts?limit=1")).EnsureSuccessStatusCode();
        await cluster.StartSilo();
        await cluster.StartSilo();
        var cells = await Cells(db.ConnectionString, 40);
        using var ingest = ReportLoad.Client(web, await ReportLoad.DevToken(web, "ingest"));

        var load = new PersonAlertLoad(cells, ingest);
        load.Start(4);
        // Killed once persons are on record and their alerts are under way (a loaded machine takes longer than Warm).
        await Until(() => Task.FromResult(load.Persons.Count >= 8), TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (before, beforeRequests) = (load.Persons.Count, load.Requests);
        ClusterUnderTest.KillHard(ledgerSilo);
        var lastCount = 0;
        TimeSpan declaredDead;
        try { declaredDead = await Until(async () => (lastCount = await ActiveSilos(admin)) == 2, TimeSpan.FromSeconds(150)); }
        catch (TimeoutException)
        {
            var output = cluster.Output;
            throw new TimeoutException($"The killed silo was not declared dead within 150 s (active silos last read: {lastCount}); "
                + $"{load.Persons.Count} persons, {load.Failed}/{load.Requests} requests failed\n{output[Math.Max(0, output.Length - 6000)..]}");
        }
        await Task.Delay(TimeSpan.FromSeconds(10));
        await load.Stop(RetryFor);

        var feverAlerts = load.FeverCheckIns.Select(c => $"symptoms:{c.PersonRef}:{c.At.UtcTicks}").ToList();
        // An alert overdue this long has had several escalation checks (every 2 s): its escalation must exist.
        var escalatedBy = TimeSpan.FromSeconds(6);
        AlertVerdict verdict = null!;
        var settled = TimeSpan.Zero;
        var notes = () => $"{load.Persons.Count} persons ({before} before the kill), {load.FeverCheckIns.Count} with fever; silo declared dead after "
            + $"{declaredDead.TotalSeconds:0.0} s; {load.Failed}/{load.Requests} requests retried ({beforeRequests} before the kill)"
            + (load.GivenUp.IsEmpty ? "" : $"; never acknowledged: {string.Join(", ", load.GivenUp.Take(3))}")
            + $"; settled {settled.TotalSeconds:0.0} s after the load";
        try
        {
            settled = await Until(async () =>
            {
                verdict = await AlertVerdict.Read("ledger-kill", db.ConnectionString, feverAlerts, escalatedBy, "");
                return verdict.Lost == 0;
            }, TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException) { settled = TimeSpan.FromSeconds(120); }
        // Read again once the last alerts' due times (10 s) and escalations have passed, then judge.
        await Task.Delay(TimeSpan.FromSeconds(10) + escalatedBy);
        verdict = await AlertVerdict.Read("ledger-kill", db.ConnectionString, feverAlerts, escalatedBy, notes());
        verdict.Report(output);

        verdict.Kinds.ShouldAllBe(k => k.Lost == 0, string.Join("; ", verdict.Kinds.Where(k => k.Lost > 0).Select(k => $"{k.Name}: {string.Join(" ", k.LostIds)}")) + "\n" + cluster.Output);
        verdict.Duplicates.ShouldBe(0, verdict.Line);
        verdict.Kinds.ShouldAllBe(k => k.Expected > 0, "every kind was exercised: " + verdict.Line);
        load.Persons.Count.ShouldBeGreaterThan(before, "persons kept arriving after the kill");
        load.GivenUp.ShouldBeEmpty("every arrival and check-in was acknowledged in the end");
    }
}
