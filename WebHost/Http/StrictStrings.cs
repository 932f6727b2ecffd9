using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// Every string of every request body: no control characters, no lone surrogate halves, at most
/// <see cref="MaxLength"/> characters. Such text has no business in a report, and PostgreSQL's jsonb refuses
/// "\u0000" and unpaired surrogates, so letting it through would turn a client's mistake into a failed commit.
/// </summary>
public sealed class StrictStrings : JsonConverter<string>
{
    /// <summary>Above every field's own limit (the longest, a note, is 500): a cap for fields that have none.</summary>
    public const int MaxLength = 4096;

    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        var value = reader.GetString()!;
        if (Problem(value) is { } problem) throw new BadTextException(problem);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>Why a text cannot be taken, or null.</summary>
    public static string? Problem(string value)
    {
        if (value.Length > MaxLength) return $"At most {MaxLength} characters.";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c)) return $"Control character U+{(int)c:X4} at position {i}.";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return $"Invalid Unicode (an unpaired surrogate) at position {i}.";
        }
        return null;
    }

    /// <summary>The serializer adds the field's path; <see cref="JsonBody.Describe"/> keeps this message.</summary>
    public sealed class BadTextException(string message) : JsonException(message);

    /// <summary>A custom converter hides the type from the OpenAPI generator ("{}"): strings are still strings.</summary>
    public sealed class Schema : IOpenApiSchemaTransformer
    {
        public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
        {
            if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
                schema.Type = context.JsonPropertyInfo is { IsSetNullable: false } ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            return Task.CompletedTask;
        }
    }
}
