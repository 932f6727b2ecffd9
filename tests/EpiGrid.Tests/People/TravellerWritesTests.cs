using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Platform;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.People;

/// <summary>
/// Issue 14: a traveller reported without travellerId was counted again when the client retried; a cell held a
/// traveller whose person's commit had failed (the cell was written first).
/// </summary>
public sealed class TravellerWritesTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    static readonly DateTimeOffset Arrived = EpiGridApp.Start.AddHours(-3);

    async Task<JsonArray> Travellers(string cellId)
    {
        using var admin = app.Admin();
        return (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{cellId}"))!["travellers"]!.AsArray();
    }

    [Fact]
    public async Task A_retried_report_of_a_traveller_without_travellerId_is_recognised_not_counted_twice()
    {
        const string cell = "330110-021-001";
        await app.RegisterCell(cell);
        using var worker = app.As(Roles.GridWorker, cells: cell);
        var report = new { originArea = "武汉 Wuhan", originRisk = "high", arrivedAt = Arrived.ToString("O"), mode = "rail" };

        var first = await worker.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", report);
        var retry = await worker.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", report);

        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        retry.StatusCode.ShouldBe(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync());
        (await retry.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        (await retry.Body())["travellerId"]!.GetValue<string>().ShouldBe((await first.Body())["travellerId"]!.GetValue<string>());
        (await Travellers(cell)).Count.ShouldBe(1);
        // Another arrival (another moment) is another traveller.
        var other = await worker.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", report with { arrivedAt = Arrived.AddMinutes(5).ToString("O") });
        other.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Travellers(cell)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task When_the_persons_commit_fails_the_cell_holds_no_orphan_traveller_and_the_repeat_lists_it_once()
    {
        const string home = "330110-022-001", stay = "330110-022-002";
        await app.RegisterCell(home);
        await app.RegisterCell(stay);
        using var ingest = app.As(Roles.Ingest);
        var idNumber = ResidentIdTests.Make(420106, new DateOnly(1979, 5, 6), 31);
        object Arrival(string cell, string area, string record) => new
        {
            idNumber, origin = new { area, risk = "high" }, arrivedAt = Arrived.ToString("O"), mode = "rail", source = "rail", sourceRecordId = record,
        };
        var first = await ingest.PostAsJsonAsync($"/api/v1/cells/{home}/travellers", Arrival(home, "武汉 Wuhan", "r-1"));
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var personRef = (await first.Body())["personRef"]!.GetValue<string>();

        // Someone else writes to the person's stream behind the grain's back: its next commit conflicts and records nothing.
        var version = await app.Database.Scalar<long>($"select version from epigrid.mt_streams where id = '{StreamKeys.Person(personRef)}'");
        var log = app.Silo.Services.GetRequiredService<IEventLog>();
        await log.AppendAsync(new StreamWrite(StreamKeys.Person(personRef), version,
            [new CheckInRecorded(personRef, 36.5m, [], new EventMeta("test", "test", EpiGridApp.Start, EpiGridApp.Start))], [], []));

        var failed = await ingest.PostAsJsonAsync($"/api/v1/cells/{stay}/travellers", Arrival(stay, "黄冈 Huanggang", "r-2"));
        failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await failed.Content.ReadAsStringAsync());
        (await Travellers(stay)).ShouldBeEmpty("the person's arrival was not recorded, so the cell must not hold it");

        var repeated = await ingest.PostAsJsonAsync($"/api/v1/cells/{stay}/travellers", Arrival(stay, "黄冈 Huanggang", "r-2"));
        repeated.StatusCode.ShouldBe(HttpStatusCode.Created, await repeated.Content.ReadAsStringAsync());
        var arrivalId = (await repeated.Body())["arrivalId"]!.GetValue<string>();
        var held = await Travellers(stay);
        held.Count.ShouldBe(1);
        held[0]!["travellerId"]!.GetValue<string>().ShouldBe(arrivalId);
    }
}
