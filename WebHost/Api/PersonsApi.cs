using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.WebHost.Audit;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>People under watch: arrivals reported with an identity, daily check-ins, and the health code scan.</summary>
public static class PersonsApi
{
    /// <param name="Reason">Null for a caller who may not read the person's cell (<see cref="Jurisdiction.MaySeeReasonsOf"/>).</param>
    public sealed record CodeResponse(string Colour, string? Reason, DateTimeOffset ValidUntil, string MaskedId, string PersonRef, int RequiredDays, int NormalDaysInARow);
    /// <param name="Applied">False when the report was kept as a report only: the person is on record outside the caller's reach.</param>
    public sealed record ArrivalAccepted(string PersonRef, string? ArrivalId, bool Corroborated, bool Duplicate, CodeResponse? Code, bool Applied = true);
    public sealed record CheckInRequest(string? OccurredAt, decimal? Temperature, List<string>? Symptoms);
    public sealed record CheckInAccepted(string PersonRef, bool Duplicate, CodeResponse? Code);

    public static RouteGroupBuilder MapPersonsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/persons/{personRef}/check-ins", CheckIn).WithTags("Persons").WithName("recordCheckIn")
            .WithSummary("A daily check-in: temperature and symptoms at their true time (late ones are fine).")
            .Produces<CheckInAccepted>(StatusCodes.Status201Created).Produces<CheckInAccepted>().ProducesProblems(400, 403, 404);
        api.MapGet("/codes/{personRef}", Code).WithTags("Persons").WithName("getHealthCode")
            .WithSummary("A checkpoint scan: colour, reason and validity of a health code, with the masked identity only.")
            .Produces<CodeResponse>().ProducesProblems(400, 404);
        return api;
    }

    /// <summary>A code as this caller may see it: colour, validity and masked identity always; reasons with jurisdiction.</summary>
    public static CodeResponse? ToResponse(CodeView? c, Jurisdiction caller) =>
        c is null ? null : new(c.Colour, caller.MaySeeReasonsOf(c.CellId) ? c.Reason : null, c.ValidUntil, c.MaskedId, c.PersonRef, c.RequiredDays, c.NormalDaysInARow);

    /// <summary>POST /cells/{cellId}/travellers with an idNumber: the arrival goes to the person, who registers it with the cell.</summary>
    public static async Task<IResult> ReportArrival(string cellId, RegisterTravellerRequest body, HttpContext http, IClusterClient grains,
        Province province, IdentityHashing identityHashing, TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (CellTarget.Check(cellId, CellAccess.Write, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var outcome = await PersonArrivals.Report(cellId, body, caller, by, grains, province, identityHashing, clock.GetUtcNow());
        if (outcome.Problem is { } problem) return problem.ToResult(http);
        return outcome.Status switch
        {
            StatusCodes.Status201Created => TypedResults.Created($"/api/v1/codes/{outcome.Accepted!.PersonRef}", outcome.Accepted),
            StatusCodes.Status202Accepted => TypedResults.Accepted((string?)null, outcome.Accepted),
            _ => TypedResults.Ok(outcome.Accepted),
        };
    }

    static async Task<IResult> CheckIn(string personRef, CheckInRequest? body, HttpContext http, IClusterClient grains, Province province,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!PersonRefPattern(personRef)) return Problems.Invalid("personRef", "Must be a person reference such as p3f2a...").ToResult(http);
        var person = grains.GetGrain<IPersonGrain>(personRef);
        if (await person.CellOf() is not { } cellId) return Problems.NotFound($"No person {personRef} on record.").ToResult(http);
        if (CellTarget.Check(cellId, CellAccess.Write, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        var at = Fields.Moment(errors, "occurredAt", body?.OccurredAt, now);
        if (at < now.AddDays(-7)) errors.Add("occurredAt", "A check-in may be sent late, but not more than 7 days late.");
        if (body?.Temperature is not { } temperature) errors.Add("temperature", "Required: °C, e.g. 36.6.");
        else Readings.Temperature(errors, temperature);
        var symptoms = Readings.Symptoms(errors, body?.Symptoms);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        var (result, code) = await person.CheckIn(new RecordCheckIn(by, at!.Value, body!.Temperature!.Value, symptoms!));
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);
        var accepted = new CheckInAccepted(personRef, result.Outcome == Outcome.Unchanged, ToResponse(code, caller));
        return result.Outcome == Outcome.Created ? TypedResults.Created($"/api/v1/codes/{personRef}", accepted) : TypedResults.Ok(accepted);
    }

    /// <summary>Every lookup is recorded before it is answered (who, when, which person, whether reasons were shown).</summary>
    static async Task<IResult> Code(string personRef, HttpContext http, IClusterClient grains, QueryRecords records)
    {
        if (!PersonRefPattern(personRef)) return Problems.Invalid("personRef", "Must be a person reference such as p3f2a...").ToResult(http);
        var caller = Jurisdiction.Of(http.User);
        // A checkpoint learns a code only from the token its holder shows (POST /codes:scan), never by reference.
        if (caller.Role == Roles.Checkpoint)
            return Problems.Forbidden("A checkpoint scans the holder's code token (POST /api/v1/codes:scan); it does not look codes up by reference.").ToResult(http);
        var view = await grains.GetGrain<IPersonGrain>(personRef).GetCode();
        var code = ToResponse(view, caller);
        await records.RecordCodeLookup(http, personRef, found: code is not null, reasonsShown: code?.Reason is not null);
        return code is not null ? TypedResults.Ok(code) : Problems.NotFound($"No health code for {personRef}.").ToResult(http);
    }

    /// <summary>The shape of a person reference ("p" and 24 lower-case hex digits).</summary>
    public static bool PersonRefPattern(string personRef) =>
        personRef.Length == 25 && personRef[0] == 'p' && personRef.Skip(1).All(char.IsAsciiHexDigitLower);
}
