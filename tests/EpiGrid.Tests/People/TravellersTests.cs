using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

/// <summary>Issue 4 end to end: arrivals with identities, health codes, check-ins, dedupe across sources.</summary>
public sealed class TravellersTests(PushApp app) : IClassFixture<PushApp>
{
    const string Cell = "330110-001-001", County = "330110";
    static readonly DateTimeOffset Arrived = EpiGridApp.Start.AddHours(-2);

    static object Arrival(string idNumber, string risk, string source, string recordId, DateTimeOffset? at = null, string area = "武汉 Wuhan") => new
    {
        idNumber, name = "张三", phone = "13812345678", origin = new { area, risk }, arrivedAt = (at ?? Arrived).ToString("O"),
        mode = "rail", source, sourceRecordId = recordId,
    };

    static string Id(int n) => ResidentIdTests.Make(420106, new DateOnly(1985, 3, 4), n);

    [Fact]
    public async Task A_traveller_from_a_high_risk_area_gets_a_red_code_for_14_days_and_the_cell_holds_them()
    {
        await app.RegisterCell(Cell);
        using var police = app.As(Roles.Ingest);
        var response = await police.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(1), "high", "police-checkpoint", "pc-1"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Body();
        var personRef = body["personRef"]!.GetValue<string>();
        personRef.ShouldStartWith("p");
        body["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        body["code"]!["validUntil"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2020, 3, 5, 0, 0, 0, TimeSpan.FromHours(8)));

        using var worker = app.As(Roles.GridWorker, cells: Cell);
        var scan = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        scan["colour"]!.GetValue<string>().ShouldBe("red");
        scan["maskedId"]!.GetValue<string>().ShouldBe("420106********" + Id(1)[14..]);
        scan.ToJsonString().ShouldNotContain(Id(1));
        var cell = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}"))!;
        cell["travellers"]!.AsArray().ShouldContain(t => t!["travellerId"]!.GetValue<string>() == body["arrivalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_journey_from_police_and_from_rail_is_one_arrival_with_two_sources_and_a_resend_changes_nothing()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var police = await (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(2), "high", "police-checkpoint", "pc-2"))).Body();
        var rail = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(2), "high", "rail", "12306-778", Arrived.AddMinutes(40)));
        var again = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(2), "high", "rail", "12306-778", Arrived.AddMinutes(40)));

        rail.StatusCode.ShouldBe(HttpStatusCode.OK);
        var railBody = await rail.Body();
        railBody["corroborated"]!.GetValue<bool>().ShouldBeTrue();
        railBody["arrivalId"]!.GetValue<string>().ShouldBe(police["arrivalId"]!.GetValue<string>());
        (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        var personRef = police["personRef"]!.GetValue<string>();
        var events = await app.Database.Rows($"select type from epigrid.mt_events where stream_id = 'person:{personRef}' order by version", r => r.GetString(0));
        events.Where(t => t.StartsWith("arrival")).ShouldBe(["arrival_reported", "arrival_corroborated"]);
    }

    [Theory]
    [InlineData("42010619850304001", "idNumber")]
    [InlineData("420106198503040010", "idNumber")]
    public async Task A_bad_identity_number_is_refused_and_nothing_is_stored(string idNumber, string field)
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id like 'person:%'");
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(idNumber, "high", "rail", "bad-" + idNumber));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Body())["errors"]!.AsObject().ContainsKey(field).ShouldBeTrue();
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id like 'person:%'")).ShouldBe(before);
    }
}
