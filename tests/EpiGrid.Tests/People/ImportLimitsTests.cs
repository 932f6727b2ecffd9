using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

/// <summary>The platform on Kestrel (whose body limit a handler can change, unlike the in-memory server) with a 1 MiB import limit.</summary>
public sealed class ImportLimitsApp : EpiGridApp
{
    public const int ImportLimit = 1024 * 1024;
    public override bool RealServer => true;
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["Limits:MaxImportBodyBytes"] = ImportLimit.ToString(),
    };
}

/// <summary>
/// What a hostile or broken file may cost: the answer lists at most the first 1,000 bad rows (and counts them all),
/// and a body sent in chunks meets the same limit as one with a length, refused whole.
/// </summary>
public sealed class ImportLimitsTests(ImportLimitsApp app) : IClassFixture<ImportLimitsApp>
{
    const string Cell = "330106-003-001";
    const string Header = "idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId\n";

    static string Row(int i, string risk = "high") =>
        $"{ResidentIdTests.Make(420100, new DateOnly(1960, 1, 1).AddDays(i / 1000), i % 1000)},,,湖北 Hubei,{risk},{EpiGridApp.Start.AddHours(-2):O},rail,limits,l-{i},{Cell}\n";

    static async Task<HttpResponseMessage> Post(HttpClient client, string path, byte[] body, string mediaType, bool chunked)
    {
        var content = new StreamContent(new MemoryStream(body)) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };
        if (!chunked) content.Headers.ContentLength = body.Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_file_with_more_than_a_thousand_bad_rows_answers_the_first_thousand_and_the_true_count()
    {
        await app.RegisterCell(Cell);
        var csv = new StringBuilder(Header);
        for (var i = 0; i < 1500; i++) csv.Append(Row(i, risk: "extreme"));
        for (var i = 1500; i < 1510; i++) csv.Append(Row(i));
        using var ingest = app.As(Roles.Ingest);

        var response = await Post(ingest, "/api/v1/imports/arrivals", Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", chunked: false);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Body();
        body.Int("imported").ShouldBe(10);
        var errors = body["errors"]!.AsArray();
        errors.Count.ShouldBe(1000, "only the first 1,000 bad rows are listed");
        errors.Select(e => e!["line"]!.GetValue<int>()).ShouldBe(Enumerable.Range(2, 1000), "the first ones, in line order");
        errors.ShouldAllBe(e => e!["field"]!.GetValue<string>() == "originRisk");
        (body["errorCount"]?.GetValue<int>()).ShouldBe(1500, "the true number of bad rows");
    }

    [Fact]
    public async Task A_chunked_upload_over_the_configured_limit_is_refused_with_413_and_nothing_is_imported()
    {
        await app.RegisterCell(Cell);
        var csv = new StringBuilder(Header);
        // About 2 MiB of good rows: past the first 4,000-row chunk long before the limit is reached.
        for (var i = 10_000; csv.Length < 2 * ImportLimitsApp.ImportLimit; i++) csv.Append(Row(i));
        using var ingest = app.As(Roles.Ingest);
        ingest.Timeout = TimeSpan.FromMinutes(3);
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'arrival_reported'");

        var response = await Post(ingest, "/api/v1/imports/arrivals", Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", chunked: true);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Body();
        problem["limitBytes"]!.GetValue<long>().ShouldBe(ImportLimitsApp.ImportLimit);
        problem["detail"]!.GetValue<string>().ShouldContain("Limits:MaxImportBodyBytes");
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'arrival_reported'"))
            .ShouldBe(before, "a refused upload imports nothing, not the rows read before the limit");
    }

    [Fact]
    public async Task Readings_with_more_than_a_thousand_bad_rows_answer_the_first_thousand_and_the_true_count()
    {
        var csv = new StringBuilder("enterpriseId,day,kwh\n");
        for (var i = 0; i < 1200; i++) csv.Append($"nobody-{i},2020-02-19,5\n");
        using var ingest = app.As(Roles.Ingest);

        var response = await Post(ingest, "/api/v1/enterprises/readings", Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", chunked: false);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Body();
        body["errors"]!.AsArray().Count.ShouldBe(1000);
        body["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<int>()).ShouldBe(Enumerable.Range(2, 1000));
        (body["errorCount"]?.GetValue<int>()).ShouldBe(1200);
    }
}
