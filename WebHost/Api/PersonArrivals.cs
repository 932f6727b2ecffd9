using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>What became of a person's arrival report: the HTTP status, and the answer or the problem.</summary>
public sealed record ArrivalOutcome(int Status, PersonsApi.ArrivalAccepted? Accepted, ProblemDetails? Problem);

/// <summary>
/// A person's arrival, reported through POST /cells/{cellId}/travellers or as a batch item: one path, one set of
/// rules (validation, the caller's reach over a person on record elsewhere, who sees the code's reasons).
/// </summary>
public static class PersonArrivals
{
    /// <summary>
    /// A traveller report is a person's when it names an identity, or says what only a person can have (a close
    /// contact, symptoms): without an identity those are refused (field idNumber) rather than silently dropped.
    /// </summary>
    public static bool IsPersonal(RegisterTravellerRequest body) =>
        body.IdNumber is not null || body.CloseContactOf is not null || body.Symptoms is not null;

    public static async Task<ArrivalOutcome> Report(string cellId, RegisterTravellerRequest body, Jurisdiction caller, Provenance by,
        IClusterClient grains, Province province, IdentityHashing identityHashing, DateTimeOffset now, string fieldPrefix = "")
    {
        if (identityHashing.Protector is not { } protector)
            return new(StatusCodes.Status503ServiceUnavailable, null, identityHashing.NotConfigured);
        var errors = new FieldErrors(fieldPrefix);
        var arrival = ArrivalReports.Validate(cellId, body.IdNumber, body.Name, body.Phone, body.Origin?.Area ?? body.OriginArea,
            body.Origin?.Risk ?? body.OriginRisk, body.ArrivedAt, body.Mode, body.Source, body.SourceRecordId, by, now,
            province.Options.UtcOffset, protector, errors, body.Quarantine, body.CloseContactOf, body.Symptoms);
        if (arrival is null) return new(StatusCodes.Status400BadRequest, null, errors.ToProblem());

        var answer = await grains.GetGrain<IPersonGrain>(arrival.PersonRef).ReportArrival(arrival.Report with { Authority = caller.ReportReach });
        if (CommandOutcomes.ProblemOf(answer.Result, fieldPrefix) is { } problem)
            return new(problem.Status ?? StatusCodes.Status500InternalServerError, null, problem);
        var duplicate = answer.Result.Outcome == Outcome.Unchanged;
        var accepted = new PersonsApi.ArrivalAccepted(arrival.PersonRef, answer.ArrivalId, answer.Corroborated, duplicate,
            PersonsApi.ToResponse(answer.Code, caller), answer.Applied);
        // Kept as a report without moving or re-coding the person: accepted, not done.
        var status = duplicate ? StatusCodes.Status200OK
            : !answer.Applied ? StatusCodes.Status202Accepted
            : answer.Result.Outcome == Outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        return new(status, accepted, null);
    }
}
