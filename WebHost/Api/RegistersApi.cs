using EpiGrid.Platform;


namespace EpiGrid.WebHost.Api;

/// <summary>Operations on the registers: their rebuild from the events (<c>epigrid rebuild-registers</c>).</summary>
public static class RegistersApi
{
    public static RouteGroupBuilder MapRegistersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/admin/registers:rebuild", Rebuild).WithTags("Admin").WithName("rebuildRegisters").WithSummary(
            "Rebuild the registers (cells, cases, persons, alerts) from the events, a page of streams at a time; answer each register's rows before and after and how many differed (admins).")
            .ProducesProblems(400, 403);
        return api;
    }

    /// <summary>Runs in the silo (<see cref="IRegistersGrain"/>): minutes for a province, while the platform goes on writing.</summary>
    static async Task<Results<Ok<RegisterRebuildReport>, ProblemHttpResult>> Rebuild(HttpContext http, IGrainFactory grains)
    {
        var caller = Jurisdiction.Of(http.User);
        if (caller.Role is not Roles.Admin)
            return Problems.Forbidden($"Role '{caller.Role}' may not rebuild the registers: admins do.").ToResult(http);
        // The rebuild takes no body: one sent by mistake is refused, not ignored (a rebuild is minutes of work).
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0 || http.Request.ContentType is not null)
            return Problems.Invalid("body", "This request takes no body.").ToResult(http);
        var report = await grains.GetGrain<IRegistersGrain>(0).Rebuild();
        return TypedResults.Ok(report);
    }
}
