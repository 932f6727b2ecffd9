namespace EpiGrid.WebHost.Audit;

/// <summary>The HTTP side of a <see cref="Moment"/>: asOf and knownAt checked field by field.</summary>
public static class Moments
{
    /// <summary>The 400 for asOf (or the field named <paramref name="asOfField"/>) or knownAt outside what a replay can be asked for.</summary>
    public static ProblemDetails? Refusal(DateTimeOffset? asOf, DateTimeOffset? knownAt, DateTimeOffset now, string asOfField = "asOf")
    {
        var errors = new FieldErrors();
        foreach (var (field, value) in new[] { (asOfField, asOf), ("knownAt", knownAt) })
            if (value is { } v && !Moment.Replayable(v, now))
                errors.Add(field, $"Must be a moment between {Moment.Earliest:yyyy-MM-dd} and a year from now.");
        return errors.Any ? errors.ToProblem() : null;
    }
}
