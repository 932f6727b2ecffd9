using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using EpiGrid.WebHost.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Security;

/// <summary>Bodies over their endpoint's limit are refused with 413 naming the limit; bulk endpoints take more.</summary>
public sealed class RequestLimitTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Cell = "330106-002-001";
    const int OneMiB = 1024 * 1024;

    static string CaseBody(int padding) =>
        new JsonObject { ["caseId"] = "big-1", ["kind"] = "confirmed", ["local"] = true, ["occurredAt"] = EpiGridApp.Start.AddHours(-1).ToString("O"), ["clusterId"] = new string('x', padding) }.ToJsonString();

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413_problem_json_naming_the_limit_and_stores_nothing()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var before = await app.Database.CellEventCount();

        var response = await ingest.PostAsync($"/api/v1/cells/{Cell}/cases", new StringContent(CaseBody(OneMiB), Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Body();
        problem["limitBytes"]!.GetValue<long>().ShouldBe(OneMiB);
        problem["detail"]!.GetValue<string>().ShouldContain("Limits:MaxBodyBytes");
        (await app.Database.CellEventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task A_body_sent_without_a_length_is_cut_off_at_the_limit_too()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var before = await app.Database.CellEventCount();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(CaseBody(2 * OneMiB))));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cells/{Cell}/cases") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await ingest.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Body())["limitBytes"]!.GetValue<long>().ShouldBe(OneMiB);
        (await app.Database.CellEventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task A_full_batch_of_more_than_one_mebibyte_is_read()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var at = EpiGridApp.Start.AddHours(-1).ToString("O");
        var items = new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode)new JsonObject
        {
            ["type"] = "case", ["cellId"] = Cell, ["caseId"] = $"limit-{i}", ["kind"] = "not-a-kind", ["local"] = true, ["occurredAt"] = at,
            ["clusterId"] = new string('c', 60),
        }).ToArray());
        var body = new JsonObject { ["items"] = items }.ToJsonString();
        body.Length.ShouldBeGreaterThan(OneMiB);

        var response = await ingest.PostAsync("/api/v1/reports:batch", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Body())["results"]!.AsArray().ShouldAllBe(r => r!["status"]!.GetValue<int>() == 400);
    }

    [Fact]
    public void Only_the_bulk_endpoints_take_more_than_the_default_and_each_of_them_is_mapped()
    {
        var options = new LimitsOptions();
        var larger = app.WebServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Endpoint: e, Method: m)))
            .Where(x => RequestLimits.LimitOf(x.Endpoint, x.Method, options).Bytes > options.MaxBodyBytes)
            .Select(x => $"{x.Method} /{x.Endpoint.RoutePattern.RawText!.Trim('/')}").Order().ToList();
        larger.ShouldBe(["POST /api/v1/enterprises", "POST /api/v1/enterprises/readings", "POST /api/v1/imports/arrivals", "POST /api/v1/reports:batch"]);
    }
}
