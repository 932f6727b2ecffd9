using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EpiGrid.Simulator.Runner;

/// <summary>What became of a batch: items recorded, repeats recognised, items refused or failed (with one example).</summary>
public readonly record struct BatchOutcome(int Recorded, int Repeated, int Failed, string? FirstProblem);

/// <summary>The public API as the simulator and the benchmarks use it: development tokens, cells, batches, the province.</summary>
public sealed class PlatformClient(HttpClient http) : IDisposable
{
    public const string SourceSystem = "simulator";

    public static PlatformClient For(Uri baseAddress, int connections = 64) => new(new HttpClient(
        new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2),
    });

    public HttpClient Http => http;

    /// <summary>A token from the Development-only endpoint.</summary>
    public async Task<string> DevToken(string role, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", new { role, lifetimeMinutes = 24 * 60 }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string token, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Source-System", SourceSystem);
        return request;
    }

    /// <summary>Registers the cells that are not registered yet (a platform started without seeding).</summary>
    public async Task<int> EnsureCells(IReadOnlyCollection<string> cellIds, string adminToken, CancellationToken ct = default)
    {
        var registered = 0;
        await Parallel.ForEachAsync(cellIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (cellId, token) =>
        {
            using var get = await http.SendAsync(Request(HttpMethod.Get, $"/api/v1/cells/{cellId}", adminToken), token);
            if (get.StatusCode != HttpStatusCode.NotFound) return;
            using var put = await http.SendAsync(Request(HttpMethod.Put, $"/api/v1/cells/{cellId}", adminToken,
                new JsonObject { ["name"] = $"Simulated cell {cellId}", ["households"] = 300 }), token);
            put.EnsureSuccessStatusCode();
            Interlocked.Increment(ref registered);
        });
        return registered;
    }

    /// <summary>Posts the items as one batch; the items become part of the request (use each once).</summary>
    public Task<BatchOutcome> SendBatch(IReadOnlyList<JsonObject> items, string token, CancellationToken ct = default) =>
        SendBatch(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) }),
            items.Count, token, ct);

    /// <summary>Posts a batch already serialised ({"items":[...]}), as a load generator does to spare its own CPU.</summary>
    public async Task<BatchOutcome> SendBatch(byte[] body, int count, string token, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Post, "/api/v1/reports:batch", token);
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            return new(0, 0, count, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        using var result = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        int recorded = 0, repeated = 0, failed = 0;
        string? problem = null;
        foreach (var r in result.RootElement.GetProperty("results").EnumerateArray())
        {
            var status = r.GetProperty("status").GetInt32();
            if (status is >= 200 and < 300)
            {
                if (r.TryGetProperty("duplicate", out var d) && d.GetBoolean()) repeated++;
                else recorded++;
            }
            else
            {
                failed++;
                problem ??= r.TryGetProperty("problem", out var p) ? p.ToString() : $"status {status}";
            }
        }
        return new(recorded, repeated, failed, problem);
    }

    /// <summary>Counties per colour under the default rule set.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ColourCounts(string token, CancellationToken ct = default)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, "/api/v1/province", token), ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return body!["colourCount"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
    }

    public void Dispose() => http.Dispose();
}
