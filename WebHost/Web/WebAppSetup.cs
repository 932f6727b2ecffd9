using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace EpiGrid.WebHost.Web;

/// <summary>
/// The web app (wwwroot): static files, the public map and its anonymous hub. Everything it loads is served from
/// here; nothing is fetched from the internet at run time.
/// </summary>
/// <remarks>
/// <para>
/// wwwroot is served by <c>MapStaticAssets</c>: the build lists every file in
/// <c>EpiGrid.WebHost.staticwebassets.endpoints.json</c> with its SHA-256 ETag, content type and a gzip and a Brotli copy
/// (WebHost.csproj asks for Brotli at build as well as at publish), and routing picks the copy by
/// <c>Accept-Encoding</c>; every answer says <c>Vary: Accept-Encoding</c>. Grid workers open the app on phones on weak
/// networks: ECharts' 1.1 MB cross the air as 0.3 MB in Brotli (README, "Web app"). Content types come from the SDK's
/// table (.js and .mjs text/javascript, .webmanifest application/manifest+json).
/// </para>
/// <para>
/// Caching. The pages (<c>/</c>, <c>/public</c>, <c>/public/code</c>, index.html, code.html), app.css, code.css and the
/// ES modules under js/ are <c>no-cache</c>: the browser keeps them but asks each time, and an unchanged file costs a
/// 304 on its ETag; a deployment shows on the next load. The modules import each other by plain relative URLs
/// (<c>./i18n.js</c>, no bundler); fingerprinted names would need every import rewritten, or an import map, which is an
/// inline script the Content-Security-Policy (<c>script-src 'self'</c>) rightly refuses. The build's fingerprinted
/// routes (<c>js/app.{hash}.js</c>) exist but nothing links to them. The vendored libraries under lib/ carry their version
/// in their names (<c>echarts-6.1.0.min.js</c>, <c>signalr-10.0.11.min.js</c>), never change under a name, and are kept a
/// year without asking.
/// </para>
/// </remarks>
public static class WebAppSetup
{
    /// <summary>For the versioned files under lib/: a new version comes under a new name.</summary>
    public const string LibraryCaching = "public, max-age=31536000, immutable";
    /// <summary>ASP.NET Core's own setting: whether MapStaticAssets watches wwwroot when the app runs from the build output.</summary>
    public const string ReloadAtRuntime = "ReloadStaticAssetsAtRuntime";

    /// <summary>Addresses that answer with a page of wwwroot, as the page's own endpoints answer (compressed, ETag, no-cache).</summary>
    static readonly Dictionary<string, string> Pages = new()
    {
        ["/"] = "index.html",
        ["/public"] = "index.html",
        // The citizen's own page (issue 16): self-declaration and the health code's QR, without an account.
        ["/public/code"] = "code.html",
    };

    public static WebApplicationBuilder AddEpiGridWebApp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section);
        builder.Services.AddSingleton<PublicMapSource>();
        // Run from the build output (run.sh, local-cluster.sh, the tests), the compressed copies are in obj/ and are found
        // through EpiGrid.WebHost.staticwebassets.runtime.json, which ASP.NET Core reads by itself in Development only. A
        // published app has the copies in its wwwroot and no such file, and this does nothing.
        if (!builder.Environment.IsDevelopment())
            builder.WebHost.UseStaticWebAssets();
        // From the build output MapStaticAssets would also re-read a file it thinks was edited since the build, turn every
        // Cache-Control into no-cache and serve files added later. ASP.NET Core 10.0.12 thinks every file was edited (it
        // compares the file's time, with its fractions of a second, to the manifest's whole seconds) and sends each one
        // uncompressed, wrapped as stored gzip, under the copy's Content-Encoding: "br" over bytes no browser can read.
        // So from the build output too the app serves what the build made, as a published app does; true turns it back on.
        if (builder.Configuration[ReloadAtRuntime] is null)
            builder.Configuration.AddInMemoryCollection([new(ReloadAtRuntime, "false")]);
        return builder;
    }

    public static WebApplication MapEpiGridWebApp(this WebApplication app, RouteGroupBuilder api)
    {
        var routes = (IEndpointRouteBuilder)app;
        var before = routes.DataSources.ToHashSet();
        var assets = app.MapStaticAssets();
        var mapped = routes.DataSources.Where(d => !before.Contains(d)).ToList();
        // The manifest keeps a year only for the fingerprinted routes (lib/echarts-6.1.0.min.{hash}.js); the app loads the
        // libraries by their own names, which carry their versions, so those names get the year too.
        assets.Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } route } || !route.StartsWith("lib/", StringComparison.Ordinal))
                return;
            var serve = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = http =>
            {
                http.Response.OnStarting(() =>
                {
                    if (http.Response.StatusCode < 400) http.Response.Headers.CacheControl = LibraryCaching;
                    return Task.CompletedTask;
                });
                return serve(http);
            };
        });
        routes.DataSources.Add(new PageAddresses(mapped, Pages));
        app.MapHub<PublicHub>(PublicHub.Path).AllowAnonymous();
        api.MapWebAppApi();
        return app;
    }

    /// <summary>
    /// The endpoints of a page (one per encoding) again under another address: <c>/public</c> answers exactly as
    /// <c>/index.html</c> does, with the same content negotiation, ETags and headers.
    /// </summary>
    sealed class PageAddresses(IReadOnlyList<EndpointDataSource> assets, IReadOnlyDictionary<string, string> pages) : EndpointDataSource
    {
        IReadOnlyList<Endpoint>? endpoints;

        // Read on first routing, after every convention of MapStaticAssets has been applied.
        public override IReadOnlyList<Endpoint> Endpoints => endpoints ??= Build();

        IReadOnlyList<Endpoint> Build()
        {
            var built = new List<Endpoint>();
            foreach (var page in assets.SelectMany(a => a.Endpoints).OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is not null))
                foreach (var (address, file) in pages)
                    if (page.RoutePattern.RawText == file)
                        built.Add(new RouteEndpoint(page.RequestDelegate!, RoutePatternFactory.Parse(address), page.Order, page.Metadata,
                            $"{page.DisplayName} at {address}"));
            var missing = pages.Where(p => !built.Any(e => ((RouteEndpoint)e).RoutePattern.RawText == p.Key)).Select(p => p.Value).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"wwwroot has no {string.Join(", ", missing)} in the static assets manifest.");
            return built;
        }

        public override IChangeToken GetChangeToken() => NullChangeToken.Singleton;
    }
}
