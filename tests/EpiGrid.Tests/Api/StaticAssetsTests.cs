using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Api;

/// <summary>
/// The web app as a phone on a weak network gets it (WebHost/Web/WebAppSetup.cs): precompressed copies chosen by
/// Accept-Encoding, strong ETags and 304s, pages and modules revalidated, the versioned libraries kept a year.
/// </summary>
public sealed partial class StaticAssetsTests(EpiGridApp app) : IClassFixture<EpiGridApp>, IDisposable
{
    const string ECharts = "/lib/echarts-6.1.0.min.js";
    readonly HttpClient client = app.Anonymous();

    public void Dispose() => client.Dispose();

    string WebRoot => app.WebServices.GetRequiredService<IWebHostEnvironment>().WebRootPath;

    byte[] OnDisk(string file) => File.ReadAllBytes(Path.Combine(WebRoot, file.TrimStart('/')));

    async Task<HttpResponseMessage> Get(string path, string? acceptEncoding = null, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return await client.SendAsync(request);
    }

    static byte[] Decode(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    static void Same(byte[] served, byte[] onDisk, string what)
    {
        served.Length.ShouldBe(onDisk.Length, what);
        served.AsSpan().SequenceEqual(onDisk).ShouldBeTrue($"{what}: the bytes differ from the file in wwwroot");
    }

    static void KeptAYear(HttpResponseMessage response, string what)
    {
        var caching = response.Headers.CacheControl.ShouldNotBeNull(what);
        caching.Public.ShouldBeTrue(what);
        caching.MaxAge.ShouldBe(TimeSpan.FromDays(365), what);
        caching.Extensions.Select(e => e.Name).ShouldContain("immutable", what);
        caching.NoCache.ShouldBeFalse(what);
    }

    static void Revalidated(HttpResponseMessage response, string what)
    {
        var caching = response.Headers.CacheControl.ShouldNotBeNull(what);
        caching.NoCache.ShouldBeTrue($"{what}: a page or module is asked for again on every load (ETag, 304)");
        caching.MaxAge.ShouldBeNull(what);
        response.Headers.ETag.ShouldNotBeNull(what).IsWeak.ShouldBeFalse(what);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br, zstd", "br")] // what Chromium sends
    public async Task ECharts_comes_precompressed_in_an_encoding_the_browser_accepts_and_at_most_two_fifths_of_its_size(string acceptEncoding, string expected)
    {
        var raw = OnDisk(ECharts);
        var response = await Get(ECharts, acceptEncoding);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe([expected]);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/javascript");
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.ShouldBe(body.Length);
        // Measured: Brotli 27 %, gzip 33 % (README); two fifths leaves the SDK's compression level room without letting an
        // uncompressed body (100 %) through.
        body.Length.ShouldBeLessThanOrEqualTo(raw.Length * 2 / 5, $"{expected}: {body.Length:N0} of {raw.Length:N0} bytes");
        Same(Decode(body, expected), raw, $"{ECharts} as {expected}");
        KeptAYear(response, ECharts);
        response.Headers.ETag.ShouldNotBeNull().IsWeak.ShouldBeFalse();
    }

    [Fact]
    public async Task Without_accept_encoding_ECharts_comes_as_it_is_on_disk()
    {
        var response = await Get(ECharts);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty();
        response.Headers.Vary.ShouldContain("Accept-Encoding", "a shared cache must not hand this answer to a browser that takes br, or the reverse");
        Same(await response.Content.ReadAsByteArrayAsync(), OnDisk(ECharts), ECharts);
        KeptAYear(response, ECharts);
    }

    [Fact]
    public async Task The_signalr_client_is_kept_a_year_too()
    {
        var response = await Get("/lib/signalr-10.0.11.min.js", "br");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        KeptAYear(response, "signalr");
    }

    [Theory]
    [InlineData(ECharts, "br")]
    [InlineData(ECharts, "gzip")]
    [InlineData(ECharts, null)]
    [InlineData("/js/app.js", "br")]
    [InlineData("/", "br")]
    [InlineData("/public/code", "gzip")]
    public async Task A_conditional_get_with_the_etag_answers_304_without_a_body(string path, string? acceptEncoding)
    {
        var first = await Get(path, acceptEncoding);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var etag = first.Headers.ETag.ShouldNotBeNull();

        var again = await Get(path, acceptEncoding, etag);
        again.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        again.Headers.ETag.ShouldBe(etag);
        (await again.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();

        var stale = await Get(path, acceptEncoding, new EntityTagHeaderValue("\"an-older-deployment\""));
        stale.StatusCode.ShouldBe(HttpStatusCode.OK, "another ETag is another version: the whole file");
    }

    [Theory]
    [InlineData("/", "index.html")]
    [InlineData("/index.html", "index.html")]
    [InlineData("/public", "index.html")]
    [InlineData("/public/code", "code.html")]
    [InlineData("/code.html", "code.html")]
    public async Task The_pages_revalidate_come_compressed_and_keep_the_strict_policy(string path, string file)
    {
        var response = await Get(path, "br");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        Revalidated(response, path);
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecureHeaders.AppPolicy);
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        Same(Decode(await response.Content.ReadAsByteArrayAsync(), "br"), OnDisk(file), $"{path} as br");
    }

    [GeneratedRegex("""<script\b[^>]*\bsrc="(?<url>[^"]+)"[^>]*>""")]
    private static partial Regex Scripts();

    /// <summary>Static imports and re-exports, bare imports, dynamic import(), a script URL kept in a string (charts.js loads ECharts
    /// so), and the service worker app.js registers.</summary>
    [GeneratedRegex("""^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](?<url>[^'"]+)['"]|^\s*import\s*['"](?<url>[^'"]+)['"]|\bimport\(\s*['"](?<url>[^'"]+)['"]\s*\)|['"](?<url>/lib/[^'"]+\.js)['"]|\bserviceWorker\.register\(\s*['"](?<url>[^'"]+)['"]""", RegexOptions.Multiline)]
    private static partial Regex Imports();

    [Fact]
    public async Task Every_script_and_module_the_pages_load_is_served_as_javascript_and_revalidated_unless_versioned()
    {
        var pending = new Queue<Uri>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var origin = new Uri("http://localhost");
        void Found(Uri url) { if (seen.Add(url.AbsolutePath)) pending.Enqueue(url); }

        foreach (var page in new[] { "/", "/public/code" })
        {
            var html = await (await Get(page)).Content.ReadAsStringAsync();
            foreach (Match script in Scripts().Matches(html)) Found(new Uri(new Uri(origin, page), script.Groups["url"].Value));
        }
        while (pending.TryDequeue(out var url))
        {
            var response = await Get(url.AbsolutePath, "br");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, url.AbsolutePath);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("text/javascript", url.AbsolutePath);
            response.Content.Headers.ContentEncoding.ShouldBe(["br"], url.AbsolutePath);
            if (url.AbsolutePath.StartsWith("/lib/", StringComparison.Ordinal)) KeptAYear(response, url.AbsolutePath);
            else Revalidated(response, url.AbsolutePath);
            var source = Encoding.UTF8.GetString(Decode(await response.Content.ReadAsByteArrayAsync(), "br"));
            if (url.AbsolutePath.StartsWith("/lib/", StringComparison.Ordinal)) continue; // vendored, minified: not ours to follow
            foreach (Match import in Imports().Matches(source)) Found(new Uri(url, import.Groups["url"].Value));
        }

        // The walk reached every script in wwwroot: none is left out of the check, and none lies unused.
        var onDisk = Directory.EnumerateFiles(WebRoot, "*.js", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(WebRoot, f).Replace('\\', '/')).Order().ToList();
        onDisk.Count.ShouldBeGreaterThan(20);
        seen.Order().ShouldBe(onDisk);
    }

    [GeneratedRegex(@"const PRECACHE = \[(?<list>[^\]]*)\]")]
    private static partial Regex Precache();

    [Fact]
    public async Task The_service_worker_and_the_manifest_come_with_their_types_and_the_shell_kept_offline_is_the_whole_app()
    {
        // The worker at the root (its scope is the whole app), revalidated so a deployment's new worker is found at once.
        var worker = await Get("/sw.js", "br");
        worker.StatusCode.ShouldBe(HttpStatusCode.OK);
        worker.Content.Headers.ContentType?.MediaType.ShouldBe("text/javascript");
        Revalidated(worker, "/sw.js");
        var manifest = await Get("/manifest.webmanifest");
        manifest.StatusCode.ShouldBe(HttpStatusCode.OK);
        manifest.Content.Headers.ContentType?.MediaType.ShouldBe("application/manifest+json");
        Revalidated(manifest, "/manifest.webmanifest");
        var installable = System.Text.Json.Nodes.JsonNode.Parse(await manifest.Content.ReadAsStringAsync())!;
        installable["display"]!.GetValue<string>().ShouldBe("standalone");
        installable["start_url"]!.GetValue<string>().ShouldStartWith("/");
        foreach (var icon in installable["icons"]!.AsArray())
        {
            var served = await Get(icon!["src"]!.GetValue<string>());
            served.StatusCode.ShouldBe(HttpStatusCode.OK, icon.ToJsonString());
            served.Content.Headers.ContentType?.MediaType.ShouldBe(icon["type"]!.GetValue<string>());
        }
        var index = await (await Get("/")).Content.ReadAsStringAsync();
        index.ShouldContain("<link rel=\"manifest\" href=\"/manifest.webmanifest\">");

        // What the worker keeps at install: every address answers, and it holds every module of the app and every script
        // of the page, so that nothing the app imports is missing offline.
        var source = Encoding.UTF8.GetString(Decode(await worker.Content.ReadAsByteArrayAsync(), "br"));
        var kept = Regex.Matches(Precache().Match(source).Groups["list"].Value, "'(?<url>[^']+)'").Select(m => m.Groups["url"].Value).ToList();
        kept.ShouldNotBeEmpty();
        foreach (var url in kept) (await Get(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
        var modules = Directory.EnumerateFiles(Path.Combine(WebRoot, "js"), "*.js", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(WebRoot, f).Replace('\\', '/'));
        var scripts = Scripts().Matches(index).Select(m => m.Groups["url"].Value);
        modules.Concat(scripts).Append("/").Append("/app.css").Except(kept).ShouldBeEmpty("sw.js's PRECACHE leaves these out");
    }
}
