using System.Text.RegularExpressions;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// The whole province in clear is the largest disclosure EpiGrid can make: every person's name in one file. Our
/// choice, as a provincial security officer would sign it (no published rule sets it): that export is an auditor's
/// act, not an operator's (admins keep clear views of one county or stream), and its reason must name the case or
/// ticket it serves (<c>INC-2041</c>, <c>CASE-2020-0217</c>, <c>投诉-0217</c>), so a reviewer can match it to a
/// file. What it wrote is recorded when it ends (<see cref="QueryRecords.RecordExport"/>).
/// </summary>
public static partial class ClearExports
{
    /// <summary>Letters, a hyphen, digits (more hyphenated digit groups allowed): a ticket or case reference.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}])\p{L}{2,16}-\p{Nd}{1,12}(?:-\p{Nd}{1,12})*(?![\p{L}\p{N}])")]
    private static partial Regex TicketReference();

    /// <summary>As <see cref="PersonalData.Choice"/>, with the province-wide clear export's stricter terms.</summary>
    public static (bool Clear, string? Reason, ProblemDetails? Problem) Choice(AuditAccess access, EventQuery query, string? personalData, string? reason)
    {
        if (!query.ProvinceWide || !string.Equals(personalData, "clear", StringComparison.OrdinalIgnoreCase))
            return PersonalData.Choice(access, personalData, reason);
        if (access.Caller.Role != Roles.Auditor)
            return (false, null, Problems.Forbidden(
                "A clear export of the whole province is an auditor's, under a case or ticket reference; name a county for a narrower one."));
        var why = reason?.Trim();
        if (why is null || why.Length < PersonalData.MinReasonLength || why.Length > PersonalData.MaxReasonLength || why.Any(char.IsControl)
            || !TicketReference().IsMatch(why))
            return (false, null, Problems.Invalid("reason",
                $"A clear export of the whole province needs a reason of {PersonalData.MinReasonLength}-{PersonalData.MaxReasonLength} characters "
                + "naming the case or ticket it serves (such as INC-2041 or CASE-2020-0217); it is recorded."));
        return (true, why, null);
    }
}
