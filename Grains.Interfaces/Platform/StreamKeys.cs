namespace EpiGrid.Platform;

/// <summary>The kinds of stream in the event log, one per aggregate.</summary>
public enum StreamKind { Unknown, Cell, County, Alert, Person, Resumption, Audit }

/// <summary>
/// The one place stream keys are made and read: <c>kind:id</c>. Part of the history's format (stored with every
/// event), never renamed.
/// </summary>
public static class StreamKeys
{
    static readonly (StreamKind Kind, string Prefix)[] Prefixes =
    [
        (StreamKind.Cell, "cell:"), (StreamKind.County, "county:"), (StreamKind.Alert, "alert:"),
        (StreamKind.Person, "person:"), (StreamKind.Resumption, "resumption:"), (StreamKind.Audit, "audit:"),
    ];

    public static string Cell(string cellId) => "cell:" + cellId;
    public static string County(string code) => "county:" + code;
    public static string Alert(string alertId) => "alert:" + alertId;
    public static string Person(string personRef) => "person:" + personRef;
    /// <summary>A county's enterprise resumption readings.</summary>
    public static string Resumption(string county) => "resumption:" + county;
    /// <summary>What one actor asked of the history (query records).</summary>
    public static string Audit(string actor) => "audit:" + actor;

    /// <summary>The kind and id of a stream key; false for a key of no known kind (older or foreign streams).</summary>
    public static bool TryParse(string key, out StreamKind kind, out string id)
    {
        foreach (var (k, prefix) in Prefixes)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                (kind, id) = (k, key[prefix.Length..]);
                return true;
            }
        (kind, id) = (StreamKind.Unknown, "");
        return false;
    }

    /// <summary>The id of a key of the given kind, or null if the key is of another kind.</summary>
    public static string? IdOf(string key, StreamKind kind) => TryParse(key, out var k, out var id) && k == kind ? id : null;
}
