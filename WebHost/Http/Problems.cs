using Microsoft.AspNetCore.WebUtilities;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// The one error shape of the API: RFC 9457 problem details. Batch items carry the same objects inside a 200,
/// which is why problems are built as values here and turned into results only at the edge.
/// </summary>
public static class Problems
{
    /// <summary>Seconds a client should wait before retrying when the cluster or the event store is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    public static ProblemDetails Status(int status, string detail) => new()
    {
        Status = status,
        Title = ReasonPhrases.GetReasonPhrase(status),
        Detail = detail,
    };

    public static ProblemDetails Validation(IDictionary<string, string[]> errors) => new HttpValidationProblemDetails(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
        Detail = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
    };

    public static ProblemDetails Invalid(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemDetails NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    /// <summary>A 404 that names the field whose value was not found (a reference in the body, not the path).</summary>
    public static ProblemDetails NotFound(string detail, string field) => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
    {
        Status = StatusCodes.Status404NotFound,
        Title = ReasonPhrases.GetReasonPhrase(StatusCodes.Status404NotFound),
        Detail = detail,
    };

    public static ProblemDetails Forbidden(string detail) => Status(StatusCodes.Status403Forbidden, detail);

    public static ProblemDetails Unavailable(string detail) => Status(StatusCodes.Status503ServiceUnavailable, detail);

    /// <summary>For middleware, which answers before or after any endpoint result.</summary>
    public static ValueTask WriteTo(this ProblemDetails problem, HttpContext http)
    {
        http.Response.StatusCode = problem.Status!.Value;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    public static ProblemHttpResult ToResult(this ProblemDetails problem, HttpContext http)
    {
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return TypedResults.Problem(problem);
    }
}
