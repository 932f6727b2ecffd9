using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Storage;

/// <summary>Overdue alerts escalate within a second, so the traffic's escalations are written before the registers are compared.</summary>
public sealed class RegisterRebuildApp : EpiGridApp
{
    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?> { ["Alerts:EscalationCheckInterval"] = "00:00:01" };
}

/// <summary>
/// The registers rebuilt from the events equal, document by document, what the live writes left (Marten's metadata
/// columns aside); a register row altered, deleted or invented by hand is put back as the events say.
/// </summary>
public sealed class RegisterRebuildTests(RegisterRebuildApp app) : IClassFixture<RegisterRebuildApp>
{
    static readonly string[] Tables = ["mt_doc_cellrecord", "mt_doc_caserecord", "mt_doc_personrecord", "mt_doc_alertrecord"];

    [Fact]
    public async Task Rebuilt_registers_equal_the_live_ones_and_rows_altered_by_hand_are_restored()
    {
        await Traffic();
        // The live registers once the platform has settled: escalations of the traffic's overdue alerts (the ledger's
        // timer) are live writes too, and one landing between this snapshot and the rebuild would read as a difference
        // (a fresh-clone CI run saw nine).
        var live = await Snapshot();
        for (var settled = Stopwatch.StartNew(); settled.Elapsed < TimeSpan.FromSeconds(30);)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var again = await Snapshot();
            if (Tables.All(t => again[t].Count == live[t].Count)) break;
            live = again;
        }
        live["mt_doc_cellrecord"].Count.ShouldBe(3);
        live["mt_doc_caserecord"].Count.ShouldBe(6);
        live["mt_doc_personrecord"].Count.ShouldBe(4);
        live["mt_doc_alertrecord"].Values.ShouldContain(a => a["status"]!.GetValue<string>() == "acknowledged", "an acknowledged alert among them");

        // As `epigrid rebuild-registers` asks it: an admin's call; no other role may.
        using (var official = app.As(Roles.ProvinceOfficial))
            (await official.PostAsync("/api/v1/admin/registers:rebuild", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var admin = app.Admin();
        var answer = await admin.PostAsync("/api/v1/admin/registers:rebuild", null);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var first = (await answer.Content.ReadFromJsonAsync<RegisterRebuildReport>())!;
        first.Registers.Select(r => r.Register).ShouldBe(["cells", "cases", "persons", "alerts"]);
        first.Registers.ShouldAllBe(r => r.RowsDiffered == 0 && r.RowsBefore == r.RowsAfter, string.Join(", ", first.Registers));
        Same(await Snapshot(), live);

        // Behind the platform's back: a case's status changed, a person's row deleted, a cell's tally wrong, a row no event backs.
        (await app.Database.Scalar<int>("""
            with a as (update epigrid.mt_doc_caserecord set data = jsonb_set(data, '{status}', '"Recovered"') where id = '330106:rb-0' returning 1),
                 b as (delete from epigrid.mt_doc_personrecord where id = (select min(id) from epigrid.mt_doc_personrecord) returning 1),
                 c as (update epigrid.mt_doc_cellrecord set data = jsonb_set(data, '{travellers}', '99') where id = '330106-001-001' returning 1),
                 d as (insert into epigrid.mt_doc_caserecord (id, data, mt_last_modified, mt_version, mt_dotnet_type)
                       select '330106:invented', jsonb_set(data, '{id}', '"330106:invented"'), now(), gen_random_uuid(), mt_dotnet_type from epigrid.mt_doc_caserecord where id = '330106:rb-4' returning 1)
            select (select count(*) from a) + (select count(*) from b) + (select count(*) from c) + (select count(*) from d)
            """)).ShouldBe(4);
        (await Snapshot())["mt_doc_caserecord"]["330106:rb-0"]!["status"]!.GetValue<string>().ShouldBe("Recovered");

        var repair = await Rebuild();
        repair.Registers.Single(r => r.Register == "cases").RowsDiffered.ShouldBe(2);
        repair.Registers.Single(r => r.Register == "persons").RowsDiffered.ShouldBe(1);
        repair.Registers.Single(r => r.Register == "cells").RowsDiffered.ShouldBe(1);
        Same(await Snapshot(), live);
    }

    /// <summary>Cases and their status changes in three cells of two counties, a cell closed, travellers who are persons on watch, a check-in, an alert acknowledged.</summary>
    async Task Traffic()
    {
        string[] cells = ["330106-001-001", "330106-001-002", "330108-003-001"];
        foreach (var cell in cells) await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        for (var i = 0; i < 6; i++)
            (await app.ReportCase(ingest, cells[i % 3], $"rb-{i}", kind: i % 2 == 0 ? "confirmed" : "suspected",
                occurredAt: EpiGridApp.Start.AddDays(-3).AddHours(i))).StatusCode.ShouldBe(HttpStatusCode.Created);
        foreach (var (caseId, cell, status) in new[] { ("rb-1", cells[1], "hospitalised"), ("rb-3", cells[0], "recovered"), ("rb-1", cells[1], "recovered") })
            (await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/cases/{caseId}/status",
                new { status, occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O") })).IsSuccessStatusCode.ShouldBeTrue();
        var persons = new List<string>();
        for (var n = 1; n <= 4; n++)
        {
            var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{cells[n % 3]}/travellers", new
            {
                idNumber = ResidentIdTests.Make(420106, new DateOnly(1990, 1, 1), n), origin = new { area = "武汉 Wuhan", risk = n % 2 == 0 ? "high" : "low" },
                arrivedAt = app.Clock.GetUtcNow().AddHours(-2).ToString("O"), mode = "rail", source = "rail", sourceRecordId = $"rb-{n}",
            });
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            persons.Add((await response.Body())["personRef"]!.GetValue<string>());
        }
        // A cell closed (issue 17): its register row carries the control the county counts.
        using (var official = app.As(Roles.CountyOfficial, "330106"))
            (await official.PutAsJsonAsync($"/api/v1/cells/{cells[0]}/control",
                new { level = "closed", reason = "rb cluster", until = app.Clock.GetUtcNow().AddDays(3).ToString("O") })).IsSuccessStatusCode.ShouldBeTrue();
        app.Clock.Advance(TimeSpan.FromDays(1));
        using var worker = app.As(Roles.GridWorker, cells: cells[2]);
        (await worker.PostAsJsonAsync($"/api/v1/persons/{persons[1]}/check-ins",
            new { occurredAt = app.Clock.GetUtcNow().ToString("O"), temperature = 36.5, symptoms = Array.Empty<string>() }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        // A traveller from a high-risk area is a visit task for the cell's workers: one of them acknowledges it.
        string? alertId = null;
        await Eventually.True(async () =>
        {
            var alerts = (await worker.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?cell={cells[2]}"))!;
            alertId = alerts.FirstOrDefault()?["id"]?.GetValue<string>();
            return alertId is not null;
        }, TimeSpan.FromSeconds(30), "a visit task for the high-risk arrival");
        (await worker.PostAsJsonAsync($"/api/v1/alerts/{alertId}/ack", new { note = "visited" })).IsSuccessStatusCode.ShouldBeTrue();
    }

    Task<RegisterRebuildReport> Rebuild() => app.Silo.Grains.GetGrain<IRegistersGrain>(0).Rebuild();

    /// <summary>Every register document as JSON, by id: Marten's metadata columns (last modified, version) left out.</summary>
    async Task<Dictionary<string, Dictionary<string, JsonNode>>> Snapshot()
    {
        var tables = new Dictionary<string, Dictionary<string, JsonNode>>();
        foreach (var table in Tables)
            tables[table] = (await app.Database.Rows($"select id, data::text from epigrid.{table}", r => (r.GetString(0), JsonNode.Parse(r.GetString(1))!)))
                .ToDictionary(r => r.Item1, r => r.Item2);
        return tables;
    }

    static void Same(Dictionary<string, Dictionary<string, JsonNode>> rebuilt, Dictionary<string, Dictionary<string, JsonNode>> live)
    {
        foreach (var (table, rows) in live)
        {
            rebuilt[table].Keys.Order().ShouldBe(rows.Keys.Order(), table);
            foreach (var (id, document) in rows)
                JsonNode.DeepEquals(rebuilt[table][id], document).ShouldBeTrue($"{table} {id}: rebuilt {rebuilt[table][id].ToJsonString()}, live {document.ToJsonString()}");
        }
    }
}
