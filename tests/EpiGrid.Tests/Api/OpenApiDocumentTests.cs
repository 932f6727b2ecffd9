using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Api;

/// <summary>
/// The API description as client generators read it (Redocly's recommended rules, Kiota): every operation says what
/// it does, has a stable id, and documents how it refuses a request.
/// </summary>
public sealed class OpenApiDocumentTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static async Task<JsonObject> Document(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;

    public static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select ($"{method.Key.ToUpperInvariant()} {path.Key}", method.Value!.AsObject());

    [Fact]
    public async Task Every_operation_has_a_summary_a_unique_id_and_a_problem_response_for_a_refused_request()
    {
        using var anonymous = app.Anonymous();
        var operations = Operations(await Document(anonymous)).ToList();

        var noSummary = operations.Where(o => string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>())).Select(o => o.Name).ToList();
        var noId = operations.Where(o => string.IsNullOrWhiteSpace(o.Operation["operationId"]?.GetValue<string>())).Select(o => o.Name).ToList();
        var notCamelCase = operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).OfType<string>()
            .Where(id => !id.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetterLower(id[0])).ToList();
        var sharedIds = operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).OfType<string>()
            .GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var noProblem = operations.Where(o => !DocumentsAProblem(o.Operation)).Select(o => o.Name).ToList();

        operations.ShouldNotBeEmpty();
        var report = $"{operations.Count} operations; without a summary ({noSummary.Count}): {string.Join(", ", noSummary)}\n"
                     + $"without an operationId ({noId.Count}): {string.Join(", ", noId)}\n"
                     + $"ids not in camelCase ({notCamelCase.Count}): {string.Join(", ", notCamelCase)}\n"
                     + $"ids used twice ({sharedIds.Count}): {string.Join(", ", sharedIds)}\n"
                     + $"without a 4xx application/problem+json response ({noProblem.Count}): {string.Join(", ", noProblem)}";
        (noSummary.Count + noId.Count + notCamelCase.Count + sharedIds.Count + noProblem.Count).ShouldBe(0, report);
    }

    static bool DocumentsAProblem(JsonObject operation) =>
        operation["responses"]?.AsObject().Any(r => r.Key.StartsWith('4')
            && r.Value?["content"]?.AsObject().ContainsKey("application/problem+json") == true) == true;
}
