namespace EpiGrid.WebHost.Api;

public sealed record DevTokenRequest
{
    public string? Role { get; init; }
    /// <summary>Required for county-official and checkpoint: a county of the geography.</summary>
    public string? County { get; init; }
    /// <summary>Required (at least one) for grid-worker.</summary>
    public List<string>? Cells { get; init; }
    /// <summary>The actor id; "dev-{role}" when absent.</summary>
    public string? Subject { get; init; }
    public int? LifetimeMinutes { get; init; }
}

/// <summary>
/// Tokens for development and demos, with no login. Mapped only in the Development environment: anywhere
/// else this route does not exist.
/// </summary>
public static class DevTokensApi
{
    const int MaxLifetimeMinutes = 24 * 60, MaxCells = 1000;

    public static RouteGroupBuilder MapDevTokensApi(this RouteGroupBuilder api)
    {
        api.MapPost("/dev/tokens", Issue).AllowAnonymous().WithTags("Development").WithName("issueDevToken")
            .WithSummary("Mint a token for any role (Development only).").ProducesProblems(400);
        return api;
    }

    static Results<Ok<IssuedToken>, ProblemHttpResult> Issue(DevTokenRequest? request, HttpContext http, TokenIssuer issuer, Province province)
    {
        var body = request ?? new DevTokenRequest();
        var errors = new FieldErrors();
        var role = Roles.All.FirstOrDefault(r => r == body.Role);
        if (role is null) errors.Add("role", $"Required: one of {string.Join(", ", Roles.All)}.");

        if (body.County is not null && province.Find(body.County) is null) errors.Add("county", $"No county {body.County} in the geography.");
        else if (body.County is null && role is Roles.CountyOfficial or Roles.Checkpoint) errors.Add("county", $"Required for a {role}.");

        var cells = body.Cells ?? [];
        if (cells.Count == 0 && role == Roles.GridWorker) errors.Add("cells", "At least one cell is required for a grid-worker.");
        if (cells.Count > MaxCells) errors.Add("cells", $"At most {MaxCells} cells.");
        for (var i = 0; i < cells.Count && i < MaxCells; i++)
        {
            if (!Province.IsCellId(cells[i])) errors.Add($"cells[{i}]", "Must be a cell id of the form 330782-004-017.");
            else if (province.Find(Province.CountyOfCell(cells[i])) is null) errors.Add($"cells[{i}]", "Its county is not in the geography.");
        }

        var subject = body.Subject ?? $"dev-{role}";
        if (subject.Trim().Length is 0 or > 128) errors.Add("subject", "1-128 characters.");
        if (body.LifetimeMinutes is < 1 or > MaxLifetimeMinutes) errors.Add("lifetimeMinutes", $"Between 1 and {MaxLifetimeMinutes}.");
        if (errors.Any) return errors.ToProblem().ToResult(http);

        var lifetime = body.LifetimeMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : TokenIssuer.DefaultLifetime;
        return TypedResults.Ok(issuer.Issue(subject.Trim(), role!, body.County, cells, lifetime));
    }
}
