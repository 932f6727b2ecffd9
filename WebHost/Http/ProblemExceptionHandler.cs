using Microsoft.AspNetCore.Diagnostics;
using EpiGrid.WebHost.Cluster;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// Exceptions that are the client's or the cluster's fault become 4xx/503 problems; anything else is left to
/// the default handler, which answers a 500 problem. Binding failures arrive here because
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on: without it they would be empty 400s.
/// </summary>
sealed class ProblemExceptionHandler(IProblemDetailsService writer, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            _ when Utf8Body.NotUtf8Exception.In(exception) is { } notUtf8 => Problems.Invalid("body", notUtf8.Message),
            BadHttpRequestException { InnerException: JsonException json } => Invalid(json),
            BadHttpRequestException bad => Problems.Status(bad.StatusCode, bad.Message),
            _ when GrainFailures.IsUnavailable(exception) => Problems.Unavailable("The cluster is not reachable right now; retry shortly."),
            Audit.QueryNotRecordedException => Problems.Unavailable("The query could not be recorded, and nothing is shown unrecorded; retry shortly."),
            _ => null,
        };
        if (problem is null) return false;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            log.LogWarning(exception, "Answered 503: {Reason}", problem.Detail);
            http.Response.Headers.RetryAfter = Problems.RetryAfterSeconds.ToString();
        }

        http.Response.StatusCode = problem.Status!.Value;
        return await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    static ProblemDetails Invalid(JsonException json)
    {
        var (field, message) = JsonBody.Describe(json);
        return Problems.Invalid(field, message);
    }
}
