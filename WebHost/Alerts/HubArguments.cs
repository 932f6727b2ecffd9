using Microsoft.AspNetCore.SignalR;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// The hub's string arguments get the rules HTTP bodies get (<see cref="StrictStrings"/>): SignalR's JSON protocol
/// hands a method "\u0000" or a lone surrogate as readily as any text. A violation is the hub's own answer, a
/// <see cref="HubException"/> naming the argument, as problem+json names the field over HTTP.
/// </summary>
public static class HubArguments
{
    /// <summary>A required text argument of at most <paramref name="maxLength"/> characters, returned unchanged.</summary>
    public static string Text(string argument, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value)) throw Refused(argument, "Required.");
        if (value.Length > maxLength) throw Refused(argument, $"At most {maxLength} characters.");
        if (StrictStrings.Problem(value) is { } problem) throw Refused(argument, problem);
        return value;
    }

    /// <summary>The hub's refusal of an argument, naming it.</summary>
    public static HubException Refused(string argument, string problem) => new($"Invalid argument '{argument}': {problem}");
}
