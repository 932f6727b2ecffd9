using EpiGrid.People;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>A person's arrival validated and stripped of identifiers: only the reference and masked forms go on.</summary>
public sealed record ValidArrival(string PersonRef, ReportArrival Report);

/// <summary>Validation of arrival reports, shared by the travellers endpoint and the CSV import.</summary>
public static class ArrivalReports
{
    public static ValidArrival? Validate(
        string cellId, string? idNumber, string? name, string? phone, string? originArea, string? originRisk, string? arrivedAt,
        string? mode, string? source, string? sourceRecordId, Provenance by, DateTimeOffset now, TimeSpan utcOffset,
        PersonalDataProtector protector, FieldErrors errors)
    {
        var today = now.LocalDay(utcOffset);
        if (ResidentId.Problem(idNumber, today) is { } badId) errors.Add("idNumber", badId);
        var cleanName = Fields.Text(errors, "name", name, maxLength: 50, required: false);
        if (PhoneNumber.Problem(phone) is { } badPhone) errors.Add("phone", badPhone);
        var area = Fields.Text(errors, "origin.area", originArea, maxLength: 100);
        var risk = Fields.OneOf(errors, "origin.risk", originRisk, RegisterTravellerRequest.Risks);
        var at = Fields.Moment(errors, "arrivedAt", arrivedAt, now);
        var how = Fields.Text(errors, "mode", mode, maxLength: 32, required: false) ?? "unknown";
        var from = Fields.Id(errors, "source", source);
        var record = Fields.Id(errors, "sourceRecordId", sourceRecordId);
        if (errors.Any) return null;
        var phoneDigits = string.IsNullOrWhiteSpace(phone) ? null : phone;
        return new ValidArrival(protector.PersonRef(idNumber!), new ReportArrival(
            by with { Source = from! }, ResidentId.Mask(idNumber!), cleanName,
            phoneDigits is null ? null : PhoneNumber.Mask(phoneDigits), phoneDigits is null ? null : protector.PhoneHash(phoneDigits),
            area!, risk!, at!.Value, how, cellId, new ReportSource(from!, record!)));
    }
}
