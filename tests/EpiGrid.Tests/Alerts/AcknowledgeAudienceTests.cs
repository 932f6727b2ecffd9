using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Alerts;

public sealed class AcknowledgeAudienceApp : PushApp;

/// <summary>
/// Only the audience an alert asks to act may acknowledge it: a grid worker sees their county's colour change (to be
/// informed) but may not acknowledge it for the officials, over HTTP and over the hub alike; their cell's alerts they may.
/// </summary>
public sealed class AcknowledgeAudienceTests(AcknowledgeAudienceApp app) : IClassFixture<AcknowledgeAudienceApp>
{
    // One county a test: the first confirmed case changes its colour, a second one may not.
    const string HttpCounty = "330381", HubCounty = "330382";

    /// <summary>A confirmed case turns the county's colour: a colour-change alert to the county and the province.</summary>
    async Task<string> ColourChangeAlert(string cell, string caseId)
    {
        var county = cell[..6];
        await app.RegisterCell(cell);
        using var admin = app.Admin();
        (await app.ReportCase(admin, cell, caseId)).StatusCode.ShouldBe(HttpStatusCode.Created);
        string? id = null;
        await Eventually.True(async () =>
        {
            var open = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?county={county}&status=open"))!;
            id = open.Select(a => a!.AsObject()).FirstOrDefault(a => a["kind"]!.GetValue<string>() == "county-colour-changed")?["id"]!.GetValue<string>();
            return id is not null;
        }, TimeSpan.FromSeconds(20), "the county's colour changed after a confirmed case");
        return id!;
    }

    [Fact]
    public async Task Over_HTTP_a_grid_worker_may_read_but_not_acknowledge_a_county_colour_change_a_county_official_may()
    {
        var cell = HttpCounty + "-001-001";
        var colour = await ColourChangeAlert(cell, "aud-http-1");
        using var worker = app.As(Roles.GridWorker, cells: cell);
        (await worker.GetAsync($"/api/v1/alerts/{colour}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the worker is told of the change");
        var refused = await worker.PostAsJsonAsync($"/api/v1/alerts/{colour}/ack", new { note = "seen" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await refused.Content.ReadAsStringAsync());
        (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{colour}"))!["alert"]!["status"]!.GetValue<string>().ShouldBe("open");

        // Their own cell's case alert they do acknowledge; the county's officials acknowledge the colour change.
        (await worker.PostAsJsonAsync($"/api/v1/alerts/case:{cell}:aud-http-1/ack", new { note = "on my way" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var official = app.As(Roles.CountyOfficial, HttpCounty);
        (await official.PostAsJsonAsync($"/api/v1/alerts/{colour}/ack", new { note = "measures ordered" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Over_the_hub_a_grid_worker_may_not_acknowledge_a_county_colour_change()
    {
        var cell = HubCounty + "-001-001";
        var colour = await ColourChangeAlert(cell, "aud-hub-1");
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        var error = await Should.ThrowAsync<HubException>(() => worker.Connection.InvokeAsync<JsonObject>("ack", colour, "seen"));
        error.Message.ShouldContain("may not acknowledge");
        using var admin = app.Admin();
        ((await admin.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{colour}"))!["alert"]!["status"]!.GetValue<string>()).ShouldBe("open");
        var own = await worker.Connection.InvokeAsync<JsonObject>("ack", $"case:{cell}:aud-hub-1", "on my way");
        own["status"]!.GetValue<string>().ShouldBe("acknowledged");
    }
}
