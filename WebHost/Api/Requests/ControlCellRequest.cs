using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Body of PUT /api/v1/cells/{cellId}/control (issue 17): put a cell under control, change it, or lift it (open).</summary>
public sealed record ControlCellRequest
{
    /// <summary>closed, controlled or open (open lifts the control).</summary>
    public string? Level { get; init; }
    /// <summary>Why: recorded as the event's reason and shown to the cell's workers.</summary>
    public string? Reason { get; init; }
    /// <summary>When the control lapses by itself, ISO-8601 with offset, after now; absent: until lifted.</summary>
    public string? Until { get; init; }

    public const int MaxReasonLength = 500;

    public ControlCell? ToCommand(Provenance by, DateTimeOffset now, FieldErrors errors)
    {
        var level = Fields.OneOf(errors, "level", Level, ControlLevels.Names);
        var reason = Fields.Text(errors, "reason", Reason, MaxReasonLength);
        DateTimeOffset? until = null;
        if (Until is not null)
        {
            if (level == "open") errors.Add("until", "Lifting a control (level open) takes no until.");
            else until = Fields.FutureMoment(errors, "until", Until, now);
        }
        return errors.Any ? null : new ControlCell(by, ControlLevels.Parse(level!), reason!, until);
    }
}
