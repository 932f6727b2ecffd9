using EpiGrid.Platform;

namespace EpiGrid.WebHost.Http;

/// <summary>What a cell's <see cref="CommandResult"/> means in HTTP, for single endpoints and batch items alike.</summary>
public static class CommandOutcomes
{
    public static int StatusOf(CommandResult result) => result.Outcome switch
    {
        Outcome.Created => StatusCodes.Status201Created,
        Outcome.Updated or Outcome.Unchanged => StatusCodes.Status200OK,
        Outcome.NotFound => StatusCodes.Status404NotFound,
        Outcome.Conflict => StatusCodes.Status409Conflict,
        Outcome.Invalid => StatusCodes.Status400BadRequest,
        Outcome.Unavailable or Outcome.Unknown => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The problem of a failed command (null when it succeeded); <paramref name="fieldPrefix"/> locates batch items.</summary>
    public static ProblemDetails? ProblemOf(CommandResult result, string fieldPrefix = "")
    {
        if (result.Succeeded) return null;
        var error = result.Error ?? result.Outcome.ToString();
        return result.Outcome switch
        {
            Outcome.Invalid => Problems.Invalid(fieldPrefix + (result.Field ?? "body"), error),
            Outcome.Unavailable => Problems.Unavailable($"Nothing was recorded: {error} Retry shortly."),
            // Not "nothing was recorded": it may have been. A retry of the same request is recognised either way.
            Outcome.Unknown => Problems.Unavailable($"It is not yet known whether this was recorded: {error} Retry the same request shortly; a repeat is recognised."),
            _ => Problems.Status(StatusOf(result), error),
        };
    }
}
