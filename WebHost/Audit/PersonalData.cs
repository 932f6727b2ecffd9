using System.Text.Json.Nodes;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// Masks personal fields in an event's JSON for callers who may not see them. No event carries personal data yet
/// (travellers have an origin, not a name); a field added later is masked everywhere by naming it here.
/// </summary>
public static class PersonalData
{
    public static readonly IReadOnlyList<string> Fields = ["personName", "phone", "idNumber", "address"];
    const string Mask = "***";

    public static string Masked(string json)
    {
        // Parse only the rare event that may hold a personal field; the rest pass through untouched.
        if (!Fields.Any(f => json.Contains($"\"{f}\"", StringComparison.Ordinal))) return json;
        var node = JsonNode.Parse(json);
        MaskIn(node);
        return node!.ToJsonString();
    }

    static void MaskIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                    if (Fields.Contains(key) && value is not null) o[key] = Mask;
                    else MaskIn(value);
                break;
            case JsonArray a:
                foreach (var item in a) MaskIn(item);
                break;
        }
    }
}
