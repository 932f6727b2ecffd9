using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>
/// Body of POST /api/v1/cells/{cellId}/travellers, and of batch items of type "traveller". With an
/// <see cref="IdNumber"/> it reports a person's arrival (issue 4: origin, source record, health code); without,
/// an anonymous traveller the cell holds.
/// </summary>
public sealed record RegisterTravellerRequest
{
    public string? IdNumber { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public OriginRequest? Origin { get; init; }
    /// <summary>The source system of the record (police checkpoint, rail, air, self-declaration...).</summary>
    public string? Source { get; init; }
    /// <summary>The record's id in its source system: the same source and id again changes nothing.</summary>
    public string? SourceRecordId { get; init; }

    /// <summary>
    /// Optional. When absent, the id is derived from the report itself (<see cref="DerivedId"/>), so that a client's retry
    /// after a lost answer is recognised instead of counting the traveller twice.
    /// </summary>
    public string? TravellerId { get; init; }
    public string? OriginArea { get; init; }
    /// <summary>high, medium or low: the risk level of the area the traveller came from.</summary>
    public string? OriginRisk { get; init; }
    public string? ArrivedAt { get; init; }
    /// <summary>How they travelled (train, car, flight...); "unknown" when absent.</summary>
    public string? Mode { get; init; }
    /// <summary>home, central or none; defaults to home for high and medium risk origins, none for low. With an
    /// identity number: home or central, where the quarantine the code asks for is kept.</summary>
    public string? Quarantine { get; init; }
    /// <summary>With an identity number: the confirmed case this person was a close contact of (the code turns red).</summary>
    public string? CloseContactOf { get; init; }
    /// <summary>With an identity number: symptoms the person declared on arrival (the code turns red).</summary>
    public List<string>? Symptoms { get; init; }

    public sealed record OriginRequest(string? Area, string? Risk);

    public static readonly IReadOnlyList<string> Risks = ["high", "medium", "low"];
    public static readonly IReadOnlyList<string> Quarantines = ["home", "central", "none"];

    public RegisterTraveller? ToCommand(Provenance by, DateTimeOffset now, FieldErrors errors)
    {
        var travellerId = Fields.Id(errors, "travellerId", TravellerId, required: false);
        var originArea = Fields.Text(errors, "originArea", OriginArea, maxLength: 100);
        var originRisk = Fields.OneOf(errors, "originRisk", OriginRisk, Risks);
        var arrivedAt = Fields.Moment(errors, "arrivedAt", ArrivedAt, now);
        var mode = Fields.Text(errors, "mode", Mode, maxLength: 32, required: false) ?? "unknown";
        var quarantine = Fields.OneOf(errors, "quarantine", Quarantine, Quarantines, required: false)
            ?? (originRisk == "low" ? "none" : "home");
        if (errors.Any) return null;
        travellerId ??= DerivedId(by.Actor, originArea!, originRisk!, arrivedAt!.Value, mode);
        return new RegisterTraveller(by, travellerId, originArea!, originRisk!, arrivedAt!.Value, mode, quarantine);
    }

    /// <summary>
    /// The id of a traveller reported without one: who reported, from where, at what moment, how. Our choice, and its
    /// price: two travellers reported by the same account with all of these equal are one (the answer says
    /// "duplicate": true); a reporter registering a group arriving together gives each a travellerId.
    /// </summary>
    public static string DerivedId(string actor, string originArea, string originRisk, DateTimeOffset arrivedAt, string mode)
    {
        var what = string.Join('\u001f', actor, originArea, originRisk, arrivedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), mode);
        return "t-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(what)))[..32];
    }
}
