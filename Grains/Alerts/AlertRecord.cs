using EpiGrid.Alerts;

namespace EpiGrid.Grains.Alerts;

/// <summary>
/// Where an alert stands now, written with each of its events. Queries (catch-up, lists, escalation on start)
/// read this register; the alert's stream ("alert:&lt;id&gt;") holds its history.
/// </summary>
public sealed record AlertRecord
{
    public string Id { get; init; } = "";
    public long Seq { get; init; }
    public AlertDraft Alert { get; init; } = null!;
    public string Status { get; init; } = AlertStatus.Open;
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? Note { get; init; }
    public string? EscalatedAs { get; init; }
    /// <summary>Version of the alert's stream after the event that wrote this record.</summary>
    public long Version { get; init; }
    // Copied out of Alert so they can be indexed and filtered.
    public string County { get; init; } = "";
    public string? CellId { get; init; }
    public IReadOnlyList<string> Audience { get; init; } = [];
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset? DueBy { get; init; }

    public static AlertRecord Raised(AlertDraft alert, long seq) => new()
    {
        Id = alert.Id, Seq = seq, Alert = alert, Version = 1, County = alert.County, CellId = alert.CellId,
        Audience = alert.Audience, RaisedAt = alert.RaisedAt, DueBy = alert.DueBy,
    };

    /// <summary>The record after its acknowledgement (<see cref="AlertAcknowledged"/>): the ledger and the rebuild alike.</summary>
    public AlertRecord Acknowledged(string by, DateTimeOffset at, string? note) =>
        this with { Status = AlertStatus.Acknowledged, AcknowledgedBy = by, AcknowledgedAt = at, Note = note, Version = Version + 1 };

    /// <summary>The record after its escalation (<see cref="AlertEscalated"/>).</summary>
    public AlertRecord Escalated(string escalationId) => this with { EscalatedAs = escalationId, Version = Version + 1 };

    /// <summary>The record after one more event of the alert's stream, as the ledger wrote it with that event.</summary>
    public static AlertRecord? Apply(AlertRecord? record, object @event) => @event switch
    {
        AlertRaised e => Raised(e.Alert, e.Seq),
        AlertAcknowledged e when record is not null => record.Acknowledged(e.Meta.Actor, e.Meta.OccurredAt, e.Note),
        AlertEscalated e when record is not null => record.Escalated(e.EscalationId),
        _ => record,
    };

    public bool AwaitsEscalation => Status == AlertStatus.Open && DueBy is not null && EscalatedAs is null;

    public AlertView ToView() => new(Alert, Seq, Status, AcknowledgedBy, AcknowledgedAt, Note, EscalatedAs);
}

/// <summary>How far the ledger's store sweep has read the event log.</summary>
public sealed class AlertSweepCheckpoint
{
    public string Id { get; set; } = "alerts";
    /// <summary>Every event up to this sequence has been looked at.</summary>
    public long Sequence { get; set; }
    /// <summary>The highest sequence seen at the previous sweep: events up to it are no longer in flight.</summary>
    public long HighWater { get; set; }
}
