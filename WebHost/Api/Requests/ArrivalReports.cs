using EpiGrid.People;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>A person's arrival validated and stripped of identifiers: only the reference and masked forms go on.</summary>
public sealed record ValidArrival(string PersonRef, ReportArrival Report);

/// <summary>Validation of arrival reports, shared by the travellers endpoint and the CSV import.</summary>
public static class ArrivalReports
{
    public static ValidArrival? Validate(
        string cellId, string? idNumber, string? name, string? phone, string? originArea, string? originRisk, string? arrivedAt,
        string? mode, string? source, string? sourceRecordId, Provenance by, DateTimeOffset now, TimeSpan utcOffset,
        PersonalDataProtector protector, FieldErrors errors,
        string? quarantine = null, string? closeContactOf = null, IReadOnlyList<string>? symptoms = null)
    {
        var person = PersonIdentity.Read(errors, idNumber, name, phone, now.LocalDay(utcOffset), protector);
        var area = Fields.Text(errors, "origin.area", originArea, maxLength: 100);
        var risk = Fields.OneOf(errors, "origin.risk", originRisk, RegisterTravellerRequest.Risks);
        var at = Fields.Moment(errors, "arrivedAt", arrivedAt, now);
        var how = Fields.Text(errors, "mode", mode, maxLength: 32, required: false) ?? "unknown";
        var from = Fields.Id(errors, "source", source);
        var record = Fields.Id(errors, "sourceRecordId", sourceRecordId);
        var place = Fields.OneOf(errors, "quarantine", quarantine, QuarantinePlaces, required: false);
        var contact = Fields.Id(errors, "closeContactOf", closeContactOf, required: false);
        if (symptoms is { } declared && (declared.Count > 10 || declared.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 50)))
            errors.Add("symptoms", "At most 10 symptoms of 1-50 characters each.");
        if (errors.Any) return null;
        return new ValidArrival(person!.PersonRef, new ReportArrival(
            by with { Source = from! }, person.MaskedId, person.Name, person.MaskedPhone, person.PhoneHash,
            area!, risk!, at!.Value, how, cellId, new ReportSource(from!, record!),
            place, contact, symptoms is { Count: > 0 } ? symptoms.Select(s => s.Trim()).ToList() : null));
    }

    /// <summary>Where a person keeps their quarantine; home when not said.</summary>
    public static readonly IReadOnlyList<string> QuarantinePlaces = ["home", "central"];
}
