using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Body of POST /api/v1/cells/{cellId}/cases/{caseId}/status; batch items of type "status" add "caseId".</summary>
public sealed record ChangeCaseStatusRequest
{
    /// <summary>active, hospitalised, recovered, died or ruled-out.</summary>
    public string? Status { get; init; }
    public string? OccurredAt { get; init; }

    public ChangeCaseStatus? ToCommand(string? caseId, Provenance by, DateTimeOffset now, FieldErrors errors)
    {
        var id = Fields.Id(errors, "caseId", caseId);
        var status = default(CaseStatus);
        if (Status is null) errors.Add("status", $"Required: one of {CaseVocabulary.Statuses}.");
        else if (!CaseVocabulary.TryParseStatus(Status, out status)) errors.Add("status", $"Must be one of {CaseVocabulary.Statuses}.");
        var occurredAt = Fields.Moment(errors, "occurredAt", OccurredAt, now);
        return errors.Any ? null : new ChangeCaseStatus(by, id!, status, occurredAt!.Value);
    }
}
