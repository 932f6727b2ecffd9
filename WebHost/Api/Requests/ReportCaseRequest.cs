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

    public ReportCase? ToCommand(Provenance by, DateTimeOffset now, FieldErrors errors)
    {
        var caseId = Fields.Id(errors, "caseId", CaseId);
        var kind = default(CaseKind);
        if (Kind is null) errors.Add("kind", $"Required: one of {CaseVocabulary.Kinds}.");
        else if (!CaseVocabulary.TryParseKind(Kind, out kind)) errors.Add("kind", $"Must be one of {CaseVocabulary.Kinds}.");
        if (Local is null) errors.Add("local", "Required: true when infected locally, false when imported.");
        var clusterId = Fields.Id(errors, "clusterId", ClusterId, required: false);
        var occurredAt = Fields.Moment(errors, "occurredAt", OccurredAt, now);
        return errors.Any ? null : new ReportCase(by, caseId!, kind, Local!.Value, clusterId, occurredAt!.Value);
    }
}
