using EpiGrid.WebHost.Audit;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>What-if runs: a rule set, or other weights and cut-offs, replayed over a past period without touching live state.</summary>
public static class AuditWhatIfApi
{
    public static RouteGroupBuilder MapAuditWhatIfApi(this RouteGroupBuilder audit)
    {
        audit.MapPost("/what-if", Run).WithName("runWhatIf").WithSummary(
            "Each county's colour timeline over a past period under a rule set, optionally with other parameters.")
            .ProducesProblems(400, 403);
        return audit;
    }

    static async Task<Results<Ok<WhatIfResponse>, ProblemHttpResult>> Run(
        WhatIfRequest? body, HttpContext http, WhatIfRequests requests, IGrainFactory grains, QueryRecords records, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (AuditAccess.Of(http).Refusal(null) is { } refused) return refused.ToResult(http);
        var request = body ?? new WhatIfRequest();
        var errors = new FieldErrors();
        var ruleSet = requests.RuleSet(request, errors);
        if (request.From is null) errors.Add("from", "Required: the start of the period.");
        if (request.To is null) errors.Add("to", "Required: the end of the period.");
        else if (request.From is not null && request.To <= request.From) errors.Add("to", "Must be after from.");
        else if (request.From is not null && request.To - request.From > WhatIfRequests.LongestPeriod)
            errors.Add("to", $"The period may last at most {WhatIfRequests.LongestPeriod.TotalDays} days.");
        if (errors.Any) return errors.ToProblem().ToResult(http);

        await records.Record(http, "what-if");
        var (name, version, parameters) = ruleSet!.Value;
        return TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0).WhatIf(name, version, parameters, request.From!.Value, request.To!.Value,
            request.KnownAt ?? clock.GetUtcNow(), http.RequestAborted));
    }
}
