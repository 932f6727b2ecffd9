using System.Text.Json.Serialization;

namespace EpiGrid.Platform;

/// <summary>
/// A text in English and in Chinese, carried as two fields: a client shows its reader's language and never has to cut
/// one string in two. <see cref="Joined"/> is the "English / 中文" form that the older <c>message</c> fields keep.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.bilingual")]
public sealed record Bilingual([property: Id(0)] string En, [property: Id(1)] string Zh)
{
    public const string Separator = " / ";

    [JsonIgnore] public string Joined => En + Separator + Zh;

    /// <summary>
    /// The two halves of a text recorded before texts were kept as two fields: it was joined as "English / 中文", with
    /// Chinese in the last part only (the English half could hold the separator, when it quoted another text; the
    /// Chinese never did). A text without the separator is the same in both.
    /// </summary>
    public static Bilingual FromJoined(string joined)
    {
        var at = joined.LastIndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? new(joined, joined) : new(joined[..at], joined[(at + Separator.Length)..]);
    }
}
