using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

/// <summary>
/// GET /api/v1/codes/{personRef}: every role sees colour, validity and the masked identity; the reasons (contacts,
/// symptoms, temperatures, origin) only those who may read the person's cell; every lookup is on record.
/// </summary>
public sealed class CodeLookupTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Cell = "330110-008-001", OtherCell = "330212-008-001";

    async Task<string> RedPerson()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(510104, new DateOnly(1991, 2, 3), 77), origin = new { area = "宁波 Ningbo", risk = "low" },
            arrivedAt = EpiGridApp.Start.AddHours(-1).ToString("O"), mode = "rail", source = "rail", sourceRecordId = "lookup-77",
            closeContactOf = "hz-case-9",
        });
        return (await response.Body())["personRef"]!.GetValue<string>();
    }

    [Theory]
    [InlineData(Roles.GridWorker, null, Cell, true)]
    [InlineData(Roles.GridWorker, null, OtherCell, false)]
    [InlineData(Roles.CountyOfficial, "330110", null, true)]
    [InlineData(Roles.CountyOfficial, "330212", null, false)]
    [InlineData(Roles.ProvinceOfficial, null, null, true)]
    [InlineData(Roles.Auditor, null, null, true)]
    [InlineData(Roles.Ingest, null, null, false)]
    [InlineData(Roles.Admin, null, null, true)]
    public async Task Every_role_sees_colour_validity_and_masked_id_reasons_only_with_jurisdiction_and_the_lookup_is_recorded(
        string role, string? county, string? cell, bool seesReasons)
    {
        var personRef = await RedPerson();
        var recorded = $"select count(*) from epigrid.mt_events where type = 'health_code_viewed' and stream_id = 'audit:test-{role}' and data->>'personRef' = @p";
        var before = await app.Database.Scalar<long>(recorded, ("p", personRef));
        using var caller = cell is null ? app.As(role, county) : app.As(role, county, cell);

        var code = (await caller.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;

        code["colour"]!.GetValue<string>().ShouldBe("red");
        code["validUntil"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(EpiGridApp.Start);
        code["maskedId"]!.GetValue<string>().ShouldContain("*");
        if (seesReasons) code["reason"]!.GetValue<string>().ShouldContain("hz-case-9");
        else
        {
            code["reason"].ShouldBeNull($"{role} may not read cell {Cell}: {code.ToJsonString()}");
            code.ToJsonString().ShouldNotContain("hz-case-9");
        }
        (await app.Database.Scalar<long>(recorded, ("p", personRef))).ShouldBe(before + 1, "every lookup is recorded: who, when, which person");

        using var auditor = app.As(Roles.Auditor);
        var page = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?kind=health_code_viewed&stream=audit:test-{role}&pageSize=500"))!;
        page["events"]!.AsArray().ShouldContain(e => e!["data"]!["personRef"]!.GetValue<string>() == personRef
            && e["actor"]!.GetValue<string>() == $"test-{role}" && e["recordedAt"] != null);
    }
}
