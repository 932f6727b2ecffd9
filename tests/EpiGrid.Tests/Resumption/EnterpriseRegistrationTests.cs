using System.Net;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Resumption;

/// <summary>Issue 14: an enterprise id could be pre-registered from another county (and its readings counted there).</summary>
public sealed class EnterpriseRegistrationTests(ResumptionApp app) : IClassFixture<ResumptionApp>
{
    static object Body(string county) => new { county, name = "Yiwu Socks No. 9", industry = "textiles", baselineKwhPerDay = 1000 };

    [Fact]
    public async Task A_county_official_cannot_take_another_countys_enterprise_id_and_learns_nothing_about_the_register()
    {
        using var squatter = app.As("county-official", "330106");
        var squat = await squatter.PutAsJsonAsync("/api/v1/enterprises/yw-socks-9", Body("330106"));
        squat.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await squat.Content.ReadAsStringAsync());

        using var ingest = app.As("ingest");
        (await ingest.PutAsJsonAsync("/api/v1/enterprises/yw-socks-9", Body("330782"))).StatusCode.ShouldBe(HttpStatusCode.Created,
            "the id is still free for its own county");
        var afterwards = await squatter.PutAsJsonAsync("/api/v1/enterprises/yw-socks-9", Body("330106"));
        afterwards.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var detail = (await afterwards.Body())["detail"]!.GetValue<string>();
        detail.ShouldBe((await squat.Body())["detail"]!.GetValue<string>(), "an id registered elsewhere is answered as an unknown one");
        detail.ShouldNotContain("330782");
        var bulk = await (await squatter.PostAsJsonAsync("/api/v1/enterprises", new[] { new { id = "yw-socks-10", county = "330106", name = "x", industry = "x", baselineKwhPerDay = 10 } })).Body();
        bulk["created"]!.GetValue<int>().ShouldBe(0);
        bulk["errors"]!.AsArray().Single()!["field"]!.GetValue<string>().ShouldBe("county");

        using var owner = app.As("county-official", "330782");
        (await owner.PutAsJsonAsync("/api/v1/enterprises/yw-socks-9", Body("330782"))).StatusCode.ShouldBe(HttpStatusCode.OK, "its own county maintains it");
    }
}
