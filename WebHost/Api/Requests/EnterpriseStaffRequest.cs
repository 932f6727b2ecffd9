using System.Globalization;
using EpiGrid.Resumption;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Body of POST /api/v1/enterprises/{id}/staff: how many staff were back at work on a local day.</summary>
public sealed record EnterpriseStaffRequest
{
    public string? Day { get; init; }
    public int? StaffAtWork { get; init; }

    public const int MaxStaff = 1_000_000;

    public StaffReport? ToReport(string enterpriseId, DateOnly today, FieldErrors errors)
    {
        var earliest = DateOnly.FromDateTime(Fields.Earliest.UtcDateTime);
        var day = default(DateOnly);
        if (Day is null || !DateOnly.TryParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            errors.Add("day", "Required: a local day, YYYY-MM-DD.");
        else if (day < earliest || day > today)
            errors.Add("day", $"Must be between {earliest:yyyy-MM-dd} and today ({today:yyyy-MM-dd}).");
        if (StaffAtWork is not (>= 0 and <= MaxStaff)) errors.Add("staffAtWork", $"Required: a number from 0 to {MaxStaff}.");
        return errors.Any ? null : new StaffReport(enterpriseId, day, StaffAtWork!.Value);
    }
}
