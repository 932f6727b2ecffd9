using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// Hub arguments as the caller sent them. .NET's JSON reader cannot make a string of an escaped lone surrogate
/// ("\ud800") and fails the whole invocation with SignalR's anonymous "error on the server", before the hub's own checks
/// can name the argument. This reader keeps such a text as it is, so <see cref="HubArguments"/> refuses it by name.
/// </summary>
public sealed class HubStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());
            return Unescape(raw);
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>JSON's escapes undone one by one, a lone surrogate half included.</summary>
    static string Unescape(string raw)
    {
        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 >= raw.Length) { text.Append(raw[i]); continue; }
            var c = raw[++i];
            switch (c)
            {
                case 'u' when i + 4 < raw.Length:
                    text.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                default: text.Append(c); break;
            }
        }
        return text.ToString();
    }
}
