using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// How request bodies are read: camelCase, strict types, unknown members rejected, and JSON errors reported as
/// a field path the client can act on instead of a .NET type name.
/// </summary>
public static class JsonBody
{
    public const int MaxDepth = 16;

    public static void Configure(JsonOptions options)
    {
        // A typo in a field name would otherwise drop the value silently (e.g. "occuredAt" → "required").
        options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // "households": "12" is a client bug worth hearing about, not something to guess at.
        options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        // Chinese names as UTF-8, not \uXXXX escapes. Safe because responses are application/json, never inlined in HTML.
        options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // No request is more than four levels deep; the default (64) invites a parser to walk deep junk.
        options.SerializerOptions.MaxDepth = MaxDepth;
        options.SerializerOptions.Converters.Add(new StrictStrings());
    }

    /// <summary>Turns a deserialisation failure into (field path, message), e.g. ("items[3].local", "...").</summary>
    /// <param name="withPosition">Off for batch items: positions there are within the item, not the request.</param>
    public static (string Field, string Message) Describe(JsonException error, bool withPosition = true)
    {
        var path = error.Path ?? "$";
        var field = path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var message = error is StrictStrings.BadTextException
            ? error.Message.Split(" Path: ")[0]
            : error.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown field."
            : error.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
            ? $"Nested deeper than {MaxDepth} levels."
            : withPosition && error.LineNumber is not null
                ? $"Wrong type or malformed JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine})."
                : "Wrong type or malformed JSON.";
        return (field, message);
    }

    /// <summary>Reads a JSON node as T the way a request body would be read, or records why it cannot be.</summary>
    public static T? Read<T>(JsonNode node, JsonSerializerOptions options, FieldErrors errors) where T : class
    {
        try
        {
            var value = node.Deserialize<T>(options);
            if (value is null) errors.Add("body", "Must be a JSON object.");
            return value;
        }
        catch (JsonException e)
        {
            var (field, message) = Describe(e, withPosition: false);
            errors.Add(field, message);
            return null;
        }
    }
}
