using Orleans.Dashboard;

namespace EpiGrid.WebHost.Observability;

/// <summary>
/// The Orleans dashboard, served by the web hosts (the silos only collect its data) and only to admins. A browser
/// cannot attach a bearer token to a page load: GET /dashboard/signin?token=... keeps an admin token in an HttpOnly
/// cookie scoped to /dashboard, and requests under /dashboard present it as their bearer token.
/// </summary>
public static class AdminDashboard
{
    public const string Path = "/dashboard";
    const string Cookie = "epigrid-dashboard";

    public static WebApplication UseAdminDashboardCookie(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Path) && !http.Request.Headers.Authorization.Any()
                && http.Request.Cookies[Cookie] is { Length: > 0 } token)
                http.Request.Headers.Authorization = "Bearer " + token;
            return next(http);
        });
        return app;
    }

    public static WebApplication MapAdminDashboard(this WebApplication app)
    {
        app.MapGet(Path + "/signin", (HttpContext http, string token) =>
        {
            http.Response.Cookies.Append(Cookie, token, new CookieOptions
            {
                Path = Path, HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromHours(8),
            });
            return TypedResults.Redirect(Path + "/");
        }).AllowAnonymous().ExcludeFromDescription();
        // The dashboard's own page, scripts and data calls are a user interface, not part of the API clients are generated from.
        app.MapOrleansDashboard(Path).RequireAuthorization(p => p.RequireRole(Roles.Admin)).ExcludeFromDescription();
        return app;
    }
}
