using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Security;

/// <summary>What strict JSON means, one rule at a time: each is a 400 naming the field, and nothing is stored.</summary>
public sealed class StrictJsonTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Cell = "330106-004-001";
    static readonly string At = EpiGridApp.Start.AddHours(-1).ToString("O");

    public static TheoryData<string, byte[], string> Bodies => new()
    {
        { "NUL in a string", Utf8($$"""{"caseId":"s-1","kind":"confirmed","local":true,"occurredAt":"{{At}}","clusterId":"a\u0000b"}"""), "clusterId" },
        { "escape character", Utf8($$"""{"caseId":"s-2\u001b[31m","kind":"confirmed","local":true,"occurredAt":"{{At}}"}"""), "caseId" },
        { "unpaired surrogate", Utf8($$"""{"caseId":"s-3","kind":"confirmed\ud800","local":true,"occurredAt":"{{At}}"}"""), "kind" },
        { "huge number", Utf8($$"""{"caseId":"s-4","kind":"confirmed","local":1e400,"occurredAt":"{{At}}"}"""), "local" },
        { "deep nesting", Utf8($$"""{"caseId":"s-5","kind":"confirmed","local":true,"occurredAt":"{{At}}","clusterId":{{new string('[', 40) + new string(']', 40)}}}"""), "clusterId" },
        { "string over 4,096 characters", Utf8($$"""{"caseId":"s-6","kind":"{{new string('k', 5000)}}","local":true,"occurredAt":"{{At}}"}"""), "kind" },
        { "invalid UTF-8", [.. Utf8("{\"caseId\":\"s-7\",\"kind\":\"conf"), 0xC3, 0x28, .. Utf8($$"""irmed","local":true,"occurredAt":"{{At}}"}""")], "body" },
        { "GBK bytes", [.. Utf8("{\"caseId\":\"s-8\",\"kind\":\"confirmed\",\"local\":true,\"clusterId\":\""), 0xD5, 0xC5, .. Utf8("\",\"occurredAt\":\"" + At + "\"}")], "body" },
        { "id with a final line break", Utf8($$"""{"caseId":"s-9\n","kind":"confirmed","local":true,"occurredAt":"{{At}}"}"""), "caseId" },
    };

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_hostile_body_is_400_naming_the_field_and_stores_nothing(string what, byte[] body, string field)
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var before = await app.Database.CellEventCount();

        var response = await ingest.PostAsync($"/api/v1/cells/{Cell}/cases", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, what);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Body();
        (problem["errors"]?.AsObject().ContainsKey(field) ?? false).ShouldBeTrue($"{what}: {problem.ToJsonString()}");
        (await app.Database.CellEventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task Cell_ids_are_ascii_digits_only()
    {
        using var admin = app.Admin();
        var response = await admin.PutAsJsonAsync("/api/v1/cells/330106-004-00%EF%BC%91", new { name = "Fullwidth", households = 1 });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_api_description_still_types_strings_as_strings()
    {
        using var anonymous = app.Anonymous();
        var document = (await anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var caseId = document["components"]!["schemas"]!["ReportCaseRequest"]!["properties"]!["caseId"]!;
        caseId["type"]!.ToJsonString().ShouldContain("string");
    }
}
