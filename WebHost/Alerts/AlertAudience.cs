using EpiGrid.Alerts;

namespace EpiGrid.WebHost.Alerts;

/// <summary>The push groups a caller belongs to, from the claims of their token (see <see cref="AlertGroups"/>).</summary>
public static class AlertAudience
{
    public static IReadOnlyList<string> GroupsOf(Jurisdiction caller) => caller.Role switch
    {
        Roles.GridWorker => caller.Cells.Select(AlertGroups.Cell)
            .Concat(caller.Cells.Where(Province.IsCellId).Select(Province.CountyOfCell).Distinct().Select(AlertGroups.County))
            .ToList(),
        Roles.CountyOfficial when caller.County is { } county => [AlertGroups.County(county), AlertGroups.CountyOfficials(county)],
        Roles.ProvinceOfficial or Roles.Auditor or Roles.Admin => [AlertGroups.Province],
        _ => [],
    };

    /// <summary>Which alerts a caller may list or acknowledge: the province's roles all of them, others their groups'.</summary>
    public static IReadOnlyList<string>? ReadableGroups(Jurisdiction caller) =>
        caller.Role is Roles.ProvinceOfficial or Roles.Auditor or Roles.Admin ? null : GroupsOf(caller);

    /// <summary>Whether the caller may see an alert at all; an alert they may not see does not exist for them (404, "No alert").</summary>
    public static bool MayRead(Jurisdiction caller, AlertView alert) =>
        ReadableGroups(caller) is not { } groups || alert.Alert.Audience.Intersect(groups).Any();

    /// <summary>
    /// The groups through which a caller is asked to act on an alert. A grid worker acts for their cells only: their
    /// county's group tells them of county-wide news (a colour change) that the county's officials act on. Our choice,
    /// not a published rule: an acknowledgement stops the escalation and is read as "handled", so only those who
    /// handle it may give it.
    /// </summary>
    public static IReadOnlyList<string> ActingGroupsOf(Jurisdiction caller) => caller.Role switch
    {
        Roles.GridWorker => caller.Cells.Select(AlertGroups.Cell).ToList(),
        _ => GroupsOf(caller),
    };

    public static bool MayAcknowledge(Jurisdiction caller, AlertView alert) =>
        caller.Role is Roles.Admin or Roles.ProvinceOfficial
        || (caller.Role is Roles.GridWorker or Roles.CountyOfficial && alert.Alert.Audience.Intersect(ActingGroupsOf(caller)).Any());

    /// <summary>Why <see cref="MayAcknowledge"/> refused (HTTP 403 and the hub alike).</summary>
    public static string RefusalOf(Jurisdiction caller) => caller.Role is Roles.GridWorker
        ? "You may not acknowledge this alert: it is for the county's officials to act on (you may read it)."
        : "This role may not acknowledge alerts.";
}
