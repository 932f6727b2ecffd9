using EpiGrid.People;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>
/// A person as a report names them, checked at the edge and turned into what may go on: the keyed reference, the masked
/// identity number and phone, the phone's keyed hash. Shared by arrivals (travellers, the CSV import) and close contacts.
/// </summary>
public sealed record PersonIdentity(string PersonRef, string MaskedId, string? Name, string? MaskedPhone, string? PhoneHash)
{
    /// <summary>The identity number (required), a name and a phone (optional), field by field; null when any is wrong.</summary>
    /// <param name="today">The province's local day: an identity number's birth date may not be after it.</param>
    public static PersonIdentity? Read(FieldErrors errors, string? idNumber, string? name, string? phone, DateOnly today, PersonalDataProtector protector)
    {
        var before = errors.Count;
        if (ResidentId.Problem(idNumber, today) is { } badId) errors.Add("idNumber", badId);
        var cleanName = Fields.Text(errors, "name", name, maxLength: 50, required: false);
        if (PhoneNumber.Problem(phone) is { } badPhone) errors.Add("phone", badPhone);
        if (errors.Count > before) return null;
        var digits = string.IsNullOrWhiteSpace(phone) ? null : phone;
        return new(protector.PersonRef(idNumber!), ResidentId.Mask(idNumber!), cleanName,
            digits is null ? null : PhoneNumber.Mask(digits), digits is null ? null : protector.PhoneHash(digits));
    }
}
