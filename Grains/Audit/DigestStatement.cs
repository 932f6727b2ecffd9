using System.Globalization;
using System.Text;

namespace EpiGrid.Grains.Audit;

/// <summary>One province digest as stored in <c>chain_digest</c>, with its signature when the silo had a key.</summary>
public sealed record ProvinceDigest(
    long UptoSeq, long FromSeq, long Events, byte[] PrevDigest, byte[] Digest, DateTime TakenAt,
    string? KeyId, byte[]? PublicKey, byte[]? Signature)
{
    /// <summary>The exact text that is signed: see <see cref="DigestStatement"/>.</summary>
    public string Statement => DigestStatement.Of(this);
}

/// <summary>
/// The canonical form of a province digest that the signature covers. Our choice, not a published format: UTF-8 text,
/// one "name=value" a line, fixed order, "\n" line ends, lower-case hex for hashes, the time in UTC to the microsecond
/// (what PostgreSQL keeps). The key id is inside, so a signature cannot be presented as another key's. An auditor's
/// tool verifies the signature over this text and then reads the values from it, never from fields beside it.
/// </summary>
public static class DigestStatement
{
    public const string Header = "epigrid province digest v1";

    public static string Of(ProvinceDigest d) => string.Join("\n",
        Header,
        $"upto_seq={d.UptoSeq.ToString(CultureInfo.InvariantCulture)}",
        $"from_seq={d.FromSeq.ToString(CultureInfo.InvariantCulture)}",
        $"events={d.Events.ToString(CultureInfo.InvariantCulture)}",
        $"prev_digest={Convert.ToHexStringLower(d.PrevDigest)}",
        $"digest={Convert.ToHexStringLower(d.Digest)}",
        $"taken_at={Microseconds(d.TakenAt).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}",
        $"key_id={d.KeyId ?? ""}") + "\n";

    public static byte[] Bytes(ProvinceDigest d) => Encoding.UTF8.GetBytes(Of(d));

    /// <summary>A time as PostgreSQL stores it: UTC, whole microseconds.</summary>
    public static DateTime Microseconds(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }
}
