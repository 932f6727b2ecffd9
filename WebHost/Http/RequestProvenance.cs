using System.Diagnostics;
using System.Text.RegularExpressions;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Http;

/// <summary>Who sent a command and through which system: becomes the actor and source of the events it causes.</summary>
public static partial class RequestProvenance
{
    public const string SourceHeader = "X-Source-System";
    public const string DefaultSource = "api";

    /// <summary>The provenance of this request, or the problem with its source header.</summary>
    public static ProblemDetails? TryRead(HttpContext http, Jurisdiction caller, out Provenance by)
    {
        var source = DefaultSource;
        if (http.Request.Headers.TryGetValue(SourceHeader, out var values))
        {
            source = values.ToString();
            if (values.Count != 1 || !SourcePattern().IsMatch(source))
            {
                by = null!;
                return Problems.Invalid(SourceHeader, "Must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'.");
            }
        }

        // The same id a problem response carries as traceId, so an event can be traced back to its request.
        by = new Provenance(caller.Actor, source, Activity.Current?.Id ?? http.TraceIdentifier);
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();
}
