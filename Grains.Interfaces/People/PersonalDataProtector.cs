using System.Security.Cryptography;
using System.Text;

namespace EpiGrid.People;

/// <summary>
/// Turns identifiers into keyed hashes, so events, grain state and pushes never hold them in clear. The key is
/// configuration (section "PersonalData", never in the repository): without it a hash cannot be recomputed
/// from a guessed number, which a plain hash of an 18-digit id with a known structure would allow.
/// </summary>
public sealed class PersonalDataProtector
{
    readonly byte[] key;

    public PersonalDataProtector(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || Encoding.UTF8.GetByteCount(key) < 32)
            throw new ArgumentException("PersonalData:HashKey must be at least 32 bytes.", nameof(key));
        this.key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>A stable, opaque reference for a person: "p" and 24 hex characters (96 bits) of HMAC-SHA256.</summary>
    public string PersonRef(string idNumber) => "p" + Hash("id", ResidentId.Normalise(idNumber))[..24];

    /// <summary>The keyed hash of a phone number, for matching reports without keeping the number.</summary>
    public string PhoneHash(string phone) => Hash("phone", PhoneNumber.Normalise(phone));

    string Hash(string purpose, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + ":" + value)));
}
