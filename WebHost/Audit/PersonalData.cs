using System.Text.Json.Nodes;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// Personal fields in the history. Identity and phone numbers never reach an event (only keyed references and
/// masked forms do), but a person's name does: audit reads mask it unless the caller asks for personalData=clear,
/// may see it (<see cref="AuditAccess.SeesPersonalData"/>) and gives a reason, which is recorded
/// (<see cref="QueryRecords"/>, event <c>personal_data_viewed</c>). A field added later is masked everywhere by naming it here.
/// </summary>
public static class PersonalData
{
    public static readonly IReadOnlyList<string> Fields = ["personName", "phone", "idNumber", "address"];
    /// <summary>In a person's stream, "name" is the person's (elsewhere it names a cell or an enterprise).</summary>
    static readonly IReadOnlyList<string> PersonFields = [.. Fields, "name"];
    public const int MinReasonLength = 10, MaxReasonLength = 500;
    const string Mask = "***";

    public static string Masked(StoredRow row) =>
        Masked(row.Data, row.Stream.StartsWith("person:", StringComparison.Ordinal) ? PersonFields : Fields);

    static string Masked(string json, IReadOnlyList<string> fields)
    {
        // Parse only the rare event that may hold a personal field; the rest pass through untouched.
        if (!fields.Any(f => json.Contains($"\"{f}\"", StringComparison.Ordinal))) return json;
        var node = JsonNode.Parse(json);
        MaskIn(node, fields);
        return node!.ToJsonString();
    }

    static void MaskIn(JsonNode? node, IReadOnlyList<string> fields)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                    if (fields.Contains(key) && value is not null) o[key] = Mask;
                    else MaskIn(value, fields);
                break;
            case JsonArray a:
                foreach (var item in a) MaskIn(item, fields);
                break;
        }
    }

    /// <summary>
    /// Reads personalData (masked, the default, or clear) and reason of an audit read. Clear needs a role that may
    /// see personal data (else 403) and a reason of 10-500 characters (else 400 naming "reason").
    /// </summary>
    public static (bool Clear, string? Reason, ProblemDetails? Problem) Choice(AuditAccess access, string? personalData, string? reason)
    {
        switch (personalData?.ToLowerInvariant())
        {
            case null or "masked": return (false, null, null);
            case "clear": break;
            default: return (false, null, Problems.Invalid("personalData", "masked (default) or clear."));
        }
        if (!access.SeesPersonalData)
            return (false, null, Problems.Forbidden($"Role '{access.Caller.Role}' may not see personal data in clear."));
        var why = reason?.Trim();
        if (why is null || why.Length < MinReasonLength || why.Length > MaxReasonLength || why.Any(char.IsControl))
            return (false, null, Problems.Invalid("reason",
                $"Seeing personal data in clear needs a reason of {MinReasonLength}-{MaxReasonLength} characters (no control characters); it is recorded."));
        return (true, why, null);
    }
}
