namespace EpiGrid.WebHost.Audit;

/// <summary>
/// Who may read the history: auditors, province officials and admins all of it; a county official the
/// county's own; grid workers and ingest none. Audit endpoints only read: nobody changes history through them.
/// </summary>
public sealed record AuditAccess(Jurisdiction Caller)
{
    public static AuditAccess Of(HttpContext http) => new(Jurisdiction.Of(http.User));

    public bool Province => Caller.Role is Roles.Auditor or Roles.ProvinceOfficial or Roles.Admin;

    public bool MayRead(string county) => Province || (Caller.Role == Roles.CountyOfficial && Caller.County == county);

    /// <summary>Only admins may ask for personal data in clear (masked by default, see <see cref="PersonalData"/>).</summary>
    public bool SeesPersonalData => Caller.Role == Roles.Admin;

    /// <summary>The problem to answer when the caller may not read at all, or not this county (null: whole province).</summary>
    public ProblemDetails? Refusal(string? county) => county is null
        ? Province ? null : Problems.Forbidden(Caller.Role == Roles.CountyOfficial
            ? $"A county official may read the history of county {Caller.County} only; name it."
            : $"Role '{Caller.Role}' may not read the audit history.")
        : MayRead(county) ? null : Problems.Forbidden(Caller.Role == Roles.CountyOfficial
            ? $"County {county} is outside county {Caller.County}."
            : $"Role '{Caller.Role}' may not read the audit history.");
}
