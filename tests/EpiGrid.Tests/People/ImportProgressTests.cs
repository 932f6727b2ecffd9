using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Xunit.Abstractions;

namespace EpiGrid.Tests.People;

/// <summary>The import's platform on Kestrel (a client can cut a request off), one asynchronous import at a time per web host.</summary>
public sealed class ImportProgressApp : EpiGridApp
{
    public override bool RealServer => true;
    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?> { ["Seeding:Cells"] = ImportApp.SeededCells.ToString() };
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?> { ["Imports:MaxRunning"] = "1" };
}

/// <summary>
/// Progress and resumption of long imports (issue 18): <c>Prefer: respond-async</c> answers 202 at once and the import's
/// figures are read from <c>GET /api/v1/imports/{id}</c> (on any web host) while it runs; an upload cut off and sent again
/// imports only what is missing.
/// </summary>
public sealed class ImportProgressTests(ImportProgressApp app, ITestOutputHelper output) : IClassFixture<ImportProgressApp>
{
    const int Rows = 24_000;
    static readonly List<string> Cells = ImportApp.SeededCellIds();

    [Fact]
    public async Task An_async_import_answers_202_at_once_shows_its_rows_growing_on_any_host_and_ends_with_the_figures_of_a_synchronous_import()
    {
        var (syncFile, _) = ImportTests.Generate(Rows, Cells, first: 100_000, source: "progress-sync");
        var (asyncFile, bad) = ImportTests.Generate(Rows, Cells, first: 200_000, source: "progress-async");
        using var ingest = Client(Roles.Ingest);
        var otherHost = await app.StartAnotherWebHost();
        using var ingestElsewhere = Client(Roles.Ingest, otherHost);

        var sync = await ingest.PostAsync("/api/v1/imports/arrivals", Csv(syncFile));
        sync.StatusCode.ShouldBe(HttpStatusCode.OK, await sync.Content.ReadAsStringAsync());
        sync.Headers.Contains("Preference-Applied").ShouldBeFalse("without the header the answer is as it was");
        var expected = await sync.Body();
        expected.Select(p => p.Key).ShouldBe(["imported", "duplicates", "errors", "errorCount"]);

        var accepted = await PostAsync(ingest, asyncFile);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        accepted.Headers.GetValues("Preference-Applied").ShouldBe(["respond-async"]);
        var location = accepted.Headers.Location!.OriginalString;
        location.ShouldMatch("^/api/v1/imports/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
        var started = await accepted.Body();
        started["id"]!.GetValue<string>().ShouldBe(location.Split('/').Last());
        started["state"]!.GetValue<string>().ShouldBe("running");
        var fromElsewhere = await ingestElsewhere.GetAsync(location);
        fromElsewhere.StatusCode.ShouldBe(HttpStatusCode.OK, "the progress lives in a grain, not in the web host that took the upload");
        (await fromElsewhere.Body())["id"]!.GetValue<string>().ShouldBe(started["id"]!.GetValue<string>());

        var seen = await Poll(ingest, location);

        var running = seen.Where(s => s["state"]!.GetValue<string>() == "running").ToList();
        var report = $"Async import: {seen.Count} polls; rowsRead while running: {string.Join(", ", running.Select(s => s.Int("rowsRead")).Distinct())}";
        output.WriteLine(report);
        Console.WriteLine(report); // into the run's log
        running.Select(s => s.Int("rowsRead")).Distinct().Count(n => n > 0).ShouldBeGreaterThanOrEqualTo(2, "rowsRead grows while it runs");
        foreach (var figure in new[] { "rowsRead", "imported", "errorCount" })
            seen.Select(s => s.Int(figure)).ShouldBeInOrder(SortDirection.Ascending, $"{figure} never goes back");
        var done = seen[^1];
        done["state"]!.GetValue<string>().ShouldBe("done", done.ToJsonString());
        done.Int("rowsRead").ShouldBe(Rows);
        done.Int("imported").ShouldBe(Rows - bad.Count);
        foreach (var figure in new[] { "imported", "duplicates", "errorCount" })
            done.Int(figure).ShouldBe(expected.Int(figure), figure);
        done["errors"]!.ToJsonString().ShouldBe(expected["errors"]!.ToJsonString(), "the same rows refused, for the same reasons");
        (await Arrivals("progress-async")).ShouldBe(Rows - bad.Count);
    }

    [Fact]
    public async Task An_upload_cut_off_midway_keeps_the_chunks_committed_before_the_cut_and_sent_again_imports_only_what_is_missing()
    {
        var (file, bad) = ImportTests.Generate(Rows, Cells, first: 300_000, source: "progress-cut");
        var good = Rows - bad.Count;
        var twoChunks = 2 * WebHost.Api.ArrivalImport.ChunkSize;
        // The cut comes after 11,000 rows (two chunks of good rows and part of a third) are written, once the first two
        // chunks are committed: the third, read but not yet sent to the silos, is lost with the request.
        var cutAt = Offset(file, line: 11_000 + 2);
        // A plain client on the socket: the test factory's client buffers a request body whole (to replay it on a redirect).
        using var ingest = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token(Roles.Ingest));
        var content = new StreamContent(new CuttingStream(file, cutAt, async () =>
            await Eventually.True(async () => await Arrivals("progress-cut") >= twoChunks, TimeSpan.FromMinutes(3))));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Headers.ContentLength = file.Length; // streamed, so the server commits chunk by chunk (a chunked body is spooled whole first)

        var cut = await Should.ThrowAsync<HttpRequestException>(() => ingest.PostAsync("/api/v1/imports/arrivals", content));
        output.WriteLine($"The client cut its request: {cut.Message}");

        await Task.Delay(TimeSpan.FromSeconds(3)); // anything still in flight would land now
        var before = (int)await Arrivals("progress-cut");
        output.WriteLine($"Committed before the cut: {before} of {good} good rows");
        Console.WriteLine($"Cut upload: {before} of {good} good rows committed before the cut; {cut.GetType().Name}: {cut.Message}");
        before.ShouldBe(twoChunks, "the committed chunks stay, the chunk read but not sent is not half-imported");

        var again = await PostAsync(ingest, file);
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted, await again.Content.ReadAsStringAsync());
        var done = (await Poll(ingest, again.Headers.Location!.OriginalString))[^1];
        done["state"]!.GetValue<string>().ShouldBe("done", done.ToJsonString());
        (done.Int("imported") + done.Int("duplicates")).ShouldBe(good, "every good row is imported or recognised");
        done.Int("duplicates").ShouldBe(before, "what the first upload committed is recognised");
        (before + done.Int("imported")).ShouldBe(good, "the first upload's rows and the second's make the file, once");
        done.Int("errorCount").ShouldBe(bad.Count);
        (await Arrivals("progress-cut")).ShouldBe(good);
        (await app.Database.Scalar<long>(
            "select count(distinct data->'from'->>'recordId') from epigrid.mt_events where type = 'arrival_reported' and data->'from'->>'source' = 'progress-cut'"))
            .ShouldBe(good, "no source record twice");
        (await app.Database.Scalar<long>(
            "select count(distinct stream_id) from epigrid.mt_events where type = 'arrival_reported' and data->'from'->>'source' = 'progress-cut'"))
            .ShouldBe(good, "one person per row, each with one arrival");
    }

    [Fact]
    public async Task Only_the_starter_and_admins_read_an_import_and_a_bad_or_unknown_id_is_a_problem_naming_it()
    {
        var (file, _) = ImportTests.Generate(500, Cells, first: 400_000, source: "progress-owner");
        using var ingest = Client(Roles.Ingest);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/arrivals") { Content = Csv(file) };
        request.Headers.Add("Prefer", "handling=lenient, respond-async; wait=10");
        var accepted = await ingest.SendAsync(request);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, "respond-async among other preferences");
        var location = accepted.Headers.Location!.OriginalString;
        (await Poll(ingest, location))[^1]["state"]!.GetValue<string>().ShouldBe("done");

        using var admin = Client(Roles.Admin);
        (await admin.GetAsync(location)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var official = Client(Roles.CountyOfficial, county: "330782");
        await ShouldBeProblem(await official.GetAsync(location), HttpStatusCode.NotFound);
        using var worker = Client(Roles.GridWorker, cells: "330782-601-001");
        await ShouldBeProblem(await worker.GetAsync(location), HttpStatusCode.Forbidden);
        await ShouldBeProblem(await ingest.GetAsync($"/api/v1/imports/{Guid.CreateVersion7():D}"), HttpStatusCode.NotFound);
        var malformed = await ShouldBeProblem(await ingest.GetAsync("/api/v1/imports/not-an-id"), HttpStatusCode.BadRequest);
        malformed["errors"]!.AsObject().ContainsKey("id").ShouldBeTrue(malformed.ToJsonString());
    }

    [Fact]
    public async Task A_job_whose_web_host_stops_reporting_reads_failed_once_its_lease_lapses_with_a_way_forward()
    {
        var id = Guid.CreateVersion7();
        var grain = app.Silo.Grains.GetGrain<IImportJobGrain>(id);
        // What a web host reports when it starts an import, before it dies.
        (await grain.Report(new ImportJobReport(1, "test-ingest", ImportJobStatus.Started with { RowsRead = 4000, Imported = 4000 }, TimeSpan.FromSeconds(1))))
            .ShouldBeTrue();
        using var ingest = Client(Roles.Ingest);
        (await (await ingest.GetAsync($"/api/v1/imports/{id:D}")).Body())["state"]!.GetValue<string>().ShouldBe("running");

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var failed = await (await ingest.GetAsync($"/api/v1/imports/{id:D}")).Body();

        failed["state"]!.GetValue<string>().ShouldBe("failed");
        failed.Int("imported").ShouldBe(4000, "the figures as last reported");
        failed["failure"]!.GetValue<string>().ShouldContain("Send the file again");
        (await grain.Report(new ImportJobReport(2, "test-ingest", ImportJobStatus.Started, TimeSpan.FromSeconds(1))))
            .ShouldBeFalse("a host that reports after its lease lapsed is told to stop");
    }

    [Fact]
    public async Task A_web_host_running_its_most_async_imports_answers_429_with_retry_after_and_still_takes_synchronous_ones()
    {
        var (large, _) = ImportTests.Generate(Rows, Cells, first: 500_000, source: "progress-busy");
        var (small, smallBad) = ImportTests.Generate(100, Cells, first: 600_000, source: "progress-busy-small");
        using var ingest = Client(Roles.Ingest);
        var first = await PostAsync(ingest, large);
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var second = await PostAsync(ingest, small);
        var sync = await ingest.PostAsync("/api/v1/imports/arrivals", Csv(small));
        var rows = (await Poll(ingest, first.Headers.Location!.OriginalString))[^1];

        var busy = await ShouldBeProblem(second, HttpStatusCode.TooManyRequests);
        second.Headers.RetryAfter.ShouldNotBeNull();
        busy["detail"]!.GetValue<string>().ShouldContain("Imports:MaxRunning");
        sync.StatusCode.ShouldBe(HttpStatusCode.OK, "synchronous imports are not counted against the cap");
        (await sync.Body()).Int("imported").ShouldBe(100 - smallBad.Count);
        rows["state"]!.GetValue<string>().ShouldBe("done");
        (await Arrivals("progress-busy-small")).ShouldBe(100 - smallBad.Count, "the refused upload imported nothing; the synchronous one all");
    }

    [Fact]
    public async Task An_async_upload_whose_header_cannot_be_read_is_refused_at_once_as_without_the_preference()
    {
        using var ingest = Client(Roles.Ingest);
        var response = await PostAsync(ingest, Encoding.UTF8.GetBytes("idNumber,cellId\n1,2\n"));
        var problem = await ShouldBeProblem(response, HttpStatusCode.BadRequest);
        problem["errors"]!["header"]!.ToJsonString().ShouldContain("originArea");
    }

    HttpClient Client(string role, Uri? host = null, string? county = null, params string[] cells)
    {
        var client = app.As(role, county, cells);
        if (host is not null) client.BaseAddress = host;
        return client;
    }

    static ByteArrayContent Csv(byte[] file) => new(file) { Headers = { ContentType = new("text/csv") } };

    static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] file)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/arrivals") { Content = Csv(file) };
        request.Headers.Add("Prefer", "respond-async");
        return await client.SendAsync(request);
    }

    /// <summary>Every answer of the progress resource, a tenth of a second apart, until it is no longer running.</summary>
    static async Task<List<JsonObject>> Poll(HttpClient client, string location)
    {
        var seen = new List<JsonObject>();
        var until = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var response = await client.GetAsync(location);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            seen.Add(await response.Body());
            if (seen[^1]["state"]!.GetValue<string>() != "running") return seen;
            DateTime.UtcNow.ShouldBeLessThan(until, "the import should end within 5 minutes");
            await Task.Delay(100);
        }
    }

    static async Task<JsonObject> ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return await response.Body();
    }

    Task<long> Arrivals(string source) => app.Database.Scalar<long>(
        "select count(*) from epigrid.mt_events where type = 'arrival_reported' and data->'from'->>'source' = @source", ("source", source));

    /// <summary>The byte offset where a line (1 = the header) begins.</summary>
    static int Offset(byte[] file, int line)
    {
        var at = 0;
        for (var n = 1; n < line; n++) at = Array.IndexOf(file, (byte)'\n', at) + 1;
        return at;
    }

    /// <summary>
    /// A request body that gives its bytes up to <c>cutAt</c>, waits for <c>beforeCut</c>, then fails: the client abandons
    /// the request midway, as when a proxy or a network cuts it (the connection is closed with the body unfinished).
    /// </summary>
    sealed class CuttingStream(byte[] data, int cutAt, Func<Task> beforeCut) : Stream
    {
        int position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position == cutAt)
            {
                await beforeCut();
                throw new IOException("The upload was cut off on purpose.");
            }
            var n = Math.Min(buffer.Length, cutAt - position);
            data.AsMemory(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
