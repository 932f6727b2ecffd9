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

    public static bool MayAcknowledge(Jurisdiction caller, AlertView alert) =>
        caller.Role is Roles.Admin or Roles.ProvinceOfficial
        || (caller.Role is Roles.GridWorker or Roles.CountyOfficial && alert.Alert.Audience.Intersect(GroupsOf(caller)).Any());
}
