using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace EpiGrid.WebHost.Web;

/// <summary>
/// The web app (wwwroot): static files, the public map and its anonymous hub. Everything it loads is served from
/// here; nothing is fetched from the internet at run time.
/// </summary>
public static class WebAppSetup
{
    public static WebApplicationBuilder AddEpiGridWebApp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section);
        builder.Services.AddSingleton<PublicMapSource>();
        return builder;
    }

    public static WebApplication MapEpiGridWebApp(this WebApplication app, RouteGroupBuilder api)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            // The vendored library carries its version in its name and never changes; the app's own files are
            // small and revalidated (ETag, 304) so a deployment shows at once.
            OnPrepareResponse = file => file.Context.Response.Headers[HeaderNames.CacheControl] =
                file.Context.Request.Path.StartsWithSegments("/lib") ? "public, max-age=31536000, immutable" : "no-cache",
        });
        app.MapFallbackToFile("/public", "index.html");
        // The citizen's own page (issue 16): self-declaration and the health code's QR, without an account.
        app.MapFallbackToFile("/public/code", "code.html");
        app.MapHub<PublicHub>(PublicHub.Path).AllowAnonymous();
        api.MapWebAppApi();
        return app;
    }
}
