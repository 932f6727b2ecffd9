using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>People under watch: arrivals reported with an identity, daily check-ins, and the health code scan.</summary>
public static class PersonsApi
{
    public sealed record CodeResponse(string Colour, string Reason, DateTimeOffset ValidUntil, string MaskedId, string PersonRef, int RequiredDays, int NormalDaysInARow);
    public sealed record ArrivalAccepted(string PersonRef, string? ArrivalId, bool Corroborated, bool Duplicate, CodeResponse? Code);
    public sealed record CheckInRequest(string? OccurredAt, decimal? Temperature, List<string>? Symptoms);
    public sealed record CheckInAccepted(string PersonRef, bool Duplicate, CodeResponse? Code);

    public static RouteGroupBuilder MapPersonsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/persons/{personRef}/check-ins", CheckIn).WithTags("Persons")
            .WithSummary("A daily check-in: temperature and symptoms at their true time (late ones are fine).");
        api.MapGet("/codes/{personRef}", Code).WithTags("Persons")
            .WithSummary("A checkpoint scan: colour, reason and validity of a health code, with the masked identity only.");
        return api;
    }

    public static CodeResponse? ToResponse(CodeView? c) =>
        c is null ? null : new(c.Colour, c.Reason, c.ValidUntil, c.MaskedId, c.PersonRef, c.RequiredDays, c.NormalDaysInARow);

    /// <summary>POST /cells/{cellId}/travellers with an idNumber: the arrival goes to the person, who registers it with the cell.</summary>
    public static async Task<IResult> ReportArrival(string cellId, RegisterTravellerRequest body, HttpContext http, IClusterClient grains,
        Province province, IdentityHashing identityHashing, TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (CellTarget.Check(cellId, CellAccess.Write, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        if (identityHashing.Protector is not { } protector) return identityHashing.NotConfigured.ToResult(http);
        var errors = new FieldErrors();
        var arrival = ArrivalReports.Validate(cellId, body.IdNumber, body.Name, body.Phone, body.Origin?.Area ?? body.OriginArea,
            body.Origin?.Risk ?? body.OriginRisk, body.ArrivedAt, body.Mode, body.Source, body.SourceRecordId, by, clock.GetUtcNow(),
            province.Options.UtcOffset, protector, errors, body.Quarantine, body.CloseContactOf, body.Symptoms);
        if (arrival is null) return errors.ToProblem().ToResult(http);
        var answer = await grains.GetGrain<IPersonGrain>(arrival.PersonRef).ReportArrival(arrival.Report);
        if (CommandOutcomes.ProblemOf(answer.Result) is { } problem) return problem.ToResult(http);
        var accepted = new ArrivalAccepted(arrival.PersonRef, answer.ArrivalId, answer.Corroborated, answer.Result.Outcome == Outcome.Unchanged, ToResponse(answer.Code));
        return answer.Result.Outcome == Outcome.Created ? TypedResults.Created($"/api/v1/codes/{arrival.PersonRef}", accepted) : TypedResults.Ok(accepted);
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
        else if (temperature is < 34 or > 43) errors.Add("temperature", "Must be between 34 and 43 °C.");
        var symptoms = body?.Symptoms ?? [];
        if (symptoms.Count > 10 || symptoms.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 50))
            errors.Add("symptoms", "At most 10 symptoms of 1-50 characters each.");
        if (errors.Any) return errors.ToProblem().ToResult(http);
        var (result, code) = await person.CheckIn(new RecordCheckIn(by, at!.Value, body!.Temperature!.Value, symptoms.Select(s => s.Trim()).ToList()));
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);
        var accepted = new CheckInAccepted(personRef, result.Outcome == Outcome.Unchanged, ToResponse(code));
        return result.Outcome == Outcome.Created ? TypedResults.Created($"/api/v1/codes/{personRef}", accepted) : TypedResults.Ok(accepted);
    }

    static async Task<IResult> Code(string personRef, HttpContext http, IClusterClient grains)
    {
        if (!PersonRefPattern(personRef)) return Problems.Invalid("personRef", "Must be a person reference such as p3f2a...").ToResult(http);
        return ToResponse(await grains.GetGrain<IPersonGrain>(personRef).GetCode()) is { } code
            ? TypedResults.Ok(code)
            : Problems.NotFound($"No health code for {personRef}.").ToResult(http);
    }

    static bool PersonRefPattern(string personRef) =>
        personRef.Length == 25 && personRef[0] == 'p' && personRef.Skip(1).All(char.IsAsciiHexDigitLower);
}

/// <summary>Section "PersonalData".</summary>
public sealed record PersonalDataOptions
{
    public const string Section = "PersonalData";
    /// <summary>Key of the identity and phone hashes: at least 32 bytes, a secret, never in a file of the repository.</summary>
    public string? HashKey { get; init; }
}

/// <summary>The keyed hashing of identifiers, when configured (<see cref="PersonalDataOptions.HashKey"/>).</summary>
public sealed class IdentityHashing(IConfiguration config)
{
    public PersonalDataProtector? Protector { get; } =
        config.GetSection(PersonalDataOptions.Section).Get<PersonalDataOptions>()?.HashKey is { Length: >= 32 } key
            ? new PersonalDataProtector(key) : null;

    public ProblemDetails NotConfigured => Problems.Unavailable(
        "Reports with identity numbers are disabled: PersonalData:HashKey (at least 32 bytes) is not configured.");
}
