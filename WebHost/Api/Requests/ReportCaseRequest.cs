using EpiGrid.People;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Body of POST /api/v1/cells/{cellId}/cases, and of batch items of type "case".</summary>
public sealed record ReportCaseRequest
{
    public string? CaseId { get; init; }
    /// <summary>confirmed, suspected or asymptomatic.</summary>
    public string? Kind { get; init; }
    /// <summary>Infected locally (true) or imported (false).</summary>
    public bool? Local { get; init; }
    public string? ClusterId { get; init; }
    /// <summary>ISO-8601 with offset; not in the future, not before 2019-12-01.</summary>
    public string? OccurredAt { get; init; }
    /// <summary>The person's resident identity number (checked, then hashed here; it goes no further than this host).</summary>
    public string? IdNumber { get; init; }
    /// <summary>Or the reference of a person already on record (as answered for an arrival or a case).</summary>
    public string? PersonRef { get; init; }
    /// <summary>The case that infected this one, when the investigation knows it (a case id of the same county, or unique in another).</summary>
    public string? InfectedBy { get; init; }
    /// <summary>When the symptoms began (issue 17), ISO-8601 with offset; not after occurredAt.</summary>
    public string? OnsetAt { get; init; }

    /// <param name="protector">The keyed hashing of identity numbers; null when this host has no key (identity numbers refused).</param>
    public ReportCase? ToCommand(Provenance by, DateTimeOffset now, FieldErrors errors, PersonalDataProtector? protector)
    {
        var caseId = Fields.Id(errors, "caseId", CaseId);
        var kind = default(CaseKind);
        if (Kind is null) errors.Add("kind", $"Required: one of {CaseVocabulary.Kinds}.");
        else if (!CaseVocabulary.TryParseKind(Kind, out kind)) errors.Add("kind", $"Must be one of {CaseVocabulary.Kinds}.");
        if (Local is null) errors.Add("local", "Required: true when infected locally, false when imported.");
        var clusterId = Fields.Id(errors, "clusterId", ClusterId, required: false);
        var occurredAt = Fields.Moment(errors, "occurredAt", OccurredAt, now);
        var (personRef, maskedId) = Person(now, errors, protector);
        var infectedBy = Fields.Id(errors, "infectedBy", InfectedBy, required: false);
        if (infectedBy is not null && infectedBy == caseId) errors.Add("infectedBy", "A case cannot infect itself.");
        var onsetAt = OnsetAt is null ? null : Fields.Moment(errors, "onsetAt", OnsetAt, now);
        if (onsetAt > occurredAt) errors.Add("onsetAt", "Symptoms begin before the case is reported: must not be after occurredAt.");
        return errors.Any ? null : new ReportCase(by, caseId!, kind, Local!.Value, clusterId, occurredAt!.Value, personRef, maskedId, infectedBy, onsetAt);
    }

    /// <summary>The person the case is: by identity number (hashed here) or by a reference on record; neither is fine.</summary>
    (string? PersonRef, string? MaskedId) Person(DateTimeOffset now, FieldErrors errors, PersonalDataProtector? protector)
    {
        if (IdNumber is not null && PersonRef is not null)
        {
            errors.Add("personRef", "Give the person's idNumber or their personRef, not both.");
            return (null, null);
        }
        if (PersonRef is not null)
        {
            if (PersonsApi.PersonRefPattern(PersonRef)) return (PersonRef, null);
            errors.Add("personRef", "Must be a person reference such as p3f2a... (as answered for an arrival or a case).");
            return (null, null);
        }
        if (IdNumber is null) return (null, null);
        if (protector is null)
        {
            errors.Add("idNumber", "Identity numbers are refused by this host: PersonalData:HashKey is not configured.");
            return (null, null);
        }
        if (ResidentId.Problem(IdNumber, DateOnly.FromDateTime(now.UtcDateTime)) is { } problem)
        {
            errors.Add("idNumber", problem);
            return (null, null);
        }
        return (protector.PersonRef(IdNumber), ResidentId.Mask(IdNumber));
    }
}
