using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// One file, compiled into the web host (the server's MessagePack protocol) and linked into tools/EpiGrid.Client (the
// .NET client's): both ends of the wire shape payloads the same way. Internal in each, so nothing sees two of them.
namespace EpiGrid.SignalR;

/// <summary>
/// The MessagePack hub protocol carrying exactly what the JSON protocol carries. Every payload (an alert, a county, a
/// list of alerts) is shaped by the JSON protocol's own serializer options, then written as MessagePack: a JSON object
/// becomes a map with the same camelCase keys, an array an array, a string the same string (UTF-8, as the relaxed JSON
/// escaping also sends it), a whole number an integer, any other number a float64, true/false/null themselves. So a
/// MessagePack client reads the field names the JSON clients read, times as the same ISO 8601 strings with their offset
/// (MessagePack-CSharp's own DateTimeOffset would be a [local time as UTC, offset minutes] pair), and fields JSON leaves
/// out when null are left out too. Reading goes the other way (MessagePack to JSON, then the JSON options), so
/// arguments meet the same converters JSON arguments meet. Primitive arguments (strings, numbers, booleans) are read
/// natively: MessagePack strings are UTF-8, which cannot hold a lone surrogate (a malformed sequence becomes U+FFFD,
/// as <c>HubStrings</c> also does with JSON's malformed bytes), and the hub's checks (<c>HubArguments</c>) refuse
/// control characters by name whatever the protocol.
/// </summary>
static class JsonShapedMessagePack
{
    /// <summary>
    /// Adds the MessagePack protocol to a SignalR server or client whose JSON protocol is already configured; JSON stays
    /// (a server speaks both, each connection chooses in its handshake).
    /// </summary>
    public static void Add(ISignalRBuilder builder)
    {
        builder.AddMessagePackProtocol();
        builder.Services.AddOptions<MessagePackHubProtocolOptions>().Configure<IOptions<JsonHubProtocolOptions>>((options, json) =>
            options.SerializerOptions = MessagePackSerializerOptions.Standard
                .WithResolver(new Resolver(json.Value.PayloadSerializerOptions))
                .WithSecurity(MessagePackSecurity.UntrustedData));
    }

    /// <summary>Nesting deeper than JSON's own default limit is refused.</summary>
    const int MaxDepth = 64;

    sealed class Resolver(JsonSerializerOptions json) : IFormatterResolver
    {
        readonly ConcurrentDictionary<Type, object> formatters = new();

        public IMessagePackFormatter<T>? GetFormatter<T>() =>
            (IMessagePackFormatter<T>)formatters.GetOrAdd(typeof(T), static (type, json) =>
                IsNative(type) ? StandardResolver.Instance.GetFormatter<T>()! : new ViaJson<T>(json), json);

        static bool IsNative(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            return t == typeof(string) || t == typeof(bool) || t == typeof(long) || t == typeof(int) || t == typeof(short)
                || t == typeof(sbyte) || t == typeof(ulong) || t == typeof(uint) || t == typeof(ushort) || t == typeof(byte)
                || t == typeof(double) || t == typeof(float);
        }
    }

    sealed class ViaJson<T>(JsonSerializerOptions json) : IMessagePackFormatter<T>
    {
        static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
        {
            if (value is null) { writer.WriteNil(); return; }
            using var document = JsonSerializer.SerializeToDocument(value, json);
            Write(ref writer, document.RootElement);
        }

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, Relaxed)) Read(ref reader, writer, 0);
            return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, json)!;
        }
    }

    static void Write(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in element.EnumerateObject()) count++;
                writer.WriteMapHeader(count);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value);
                }
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray()) Write(ref writer, item);
                break;
            case JsonValueKind.String: writer.Write(element.GetString()); break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var whole)) writer.Write(whole);
                else if (element.TryGetUInt64(out var large)) writer.Write(large);
                else writer.Write(element.GetDouble());
                break;
            case JsonValueKind.True: writer.Write(true); break;
            case JsonValueKind.False: writer.Write(false); break;
            default: writer.WriteNil(); break;
        }
    }

    static bool IsTimestamp(MessagePackReader reader) =>
        reader.CreatePeekReader().TryReadExtensionFormatHeader(out var header) && header.TypeCode == ReservedMessagePackExtensionTypeCode.DateTime;

    static void Read(ref MessagePackReader reader, Utf8JsonWriter writer, int depth)
    {
        if (depth > MaxDepth) throw new MessagePackSerializationException($"Nested deeper than {MaxDepth} levels.");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil: reader.ReadNil(); writer.WriteNullValue(); break;
            case MessagePackType.Boolean: writer.WriteBooleanValue(reader.ReadBoolean()); break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64) writer.WriteNumberValue(reader.ReadUInt64());
                else writer.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                if (!double.IsFinite(number)) throw new MessagePackSerializationException("A number must be finite.");
                writer.WriteNumberValue(number);
                break;
            case MessagePackType.String: writer.WriteStringValue(reader.ReadString()); break;
            case MessagePackType.Binary: writer.WriteBase64StringValue(reader.ReadBytes()!.Value.ToArray()); break;
            case MessagePackType.Array:
                var items = reader.ReadArrayHeader();
                writer.WriteStartArray();
                for (var i = 0; i < items; i++) Read(ref reader, writer, depth + 1);
                writer.WriteEndArray();
                break;
            case MessagePackType.Map:
                var entries = reader.ReadMapHeader();
                writer.WriteStartObject();
                for (var i = 0; i < entries; i++)
                {
                    writer.WritePropertyName(reader.NextMessagePackType switch
                    {
                        MessagePackType.String => reader.ReadString()!,
                        MessagePackType.Integer => reader.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => throw new MessagePackSerializationException("A map key must be a string or an integer."),
                    });
                    Read(ref reader, writer, depth + 1);
                }
                writer.WriteEndObject();
                break;
            // A JavaScript client's Date arrives as MessagePack's timestamp: an ISO 8601 time in UTC, as JSON would carry it.
            case MessagePackType.Extension when IsTimestamp(reader):
                writer.WriteStringValue(new DateTimeOffset(reader.ReadDateTime()));
                break;
            default:
                throw new MessagePackSerializationException($"MessagePack type {reader.NextMessagePackType} is not taken.");
        }
    }
}
