using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace EpiGrid.Tests.Security;

/// <summary>One generated request, and what was done to it.</summary>
public sealed record HostileRequest(string Method, string Path, string? ContentType, byte[] Body, string Attack, string Detail, string? Role = null)
{
    public override string ToString() =>
        $"{Attack}: {Method} {Path} [{ContentType ?? "no content type"}] {Detail} body={Preview()}";

    string Preview()
    {
        var text = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160));
        return (Body.Length > 160 ? text + $"...({Body.Length:N0} bytes)" : text).ReplaceLineEndings("⏎");
    }
}

/// <summary>How a write endpoint takes its body, and a valid body to spoil.</summary>
public enum BodyShape { Object, Batch, JsonArray, Readings, Csv }

/// <summary>
/// A write endpoint: method, route pattern, a valid body (<see cref="Seed"/>) and the fields it cannot do without.
/// Mutations of the seed are invalid by construction, so any answer but a 4xx problem is a finding.
/// </summary>
/// <param name="Role">Who sends the requests: a role that passes authorization (null: an admin, who passes nearly all).</param>
public sealed record WriteEndpoint(string Method, string Pattern, BodyShape Shape, JsonObject Seed, string[] Required, string? Role = null)
{
    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>FsCheck generators of malformed requests against a write endpoint.</summary>
public static class HostileRequests
{
    const string Marker = "@@BYTES@@";

    static readonly JsonNode?[] NotStrings = [123, -1, 1.5, true, false, new JsonArray(), new JsonObject(), new JsonArray("x"), new JsonObject { ["a"] = 1 }];
    static readonly JsonNode?[] NotNumbers = ["12", "", true, false, new JsonArray(), new JsonObject(), "NaN", new JsonArray(1)];
    static readonly JsonNode?[] NotBooleans = ["true", 1, 0, "yes", new JsonArray(), new JsonObject()];
    static readonly string[] HugeNumbers =
        ["1e400", "-1e400", "99999999999999999999999999999", "-99999999999999999999999999999", "1.7976931348623157e309", "2147483648",
         "-2147483649", "9223372036854775808", "-0.0000001", "1e-400", "123456789012345678901234567890.5"];
    static readonly string[] Escapes = [@"\u0000", @"\u0001", @"\u0007", @"\u001b", @"\u007f", @"\u0085", @"\ud800", @"\udfff", @"\udc00\ud800"];
    static readonly byte[][] BadUtf8 =
        [[0xFF], [0xFE, 0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80],
         [0xD5, 0xC5, 0xC8, 0xFD] /* 张三 in GBK */, [0xB9, 0xFE, 0xB1, 0xB1] /* 湖北 in GB18030 */, [0x80], [0xF4, 0x90, 0x80, 0x80]];
    static readonly string[] WrongContentTypes =
        ["text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream", "multipart/form-data; boundary=x", "image/png"];
    static readonly string[] UnknownNames = ["__proto__", "constructor", "$type", "$id", "$ref", "ｃａｓｅＩｄ", "extra", "admin", "role", "sub", "\u200bname", "a.b", "items[0]"];
    /// <summary>
    /// Values no id may take (ids are 1-64 of A-Z, a-z, 0-9, '.', '_', ':', '-'; cells 330106-001-001). Not "%00": the
    /// server refuses a NUL in the path itself, before the app, with a bare 400.
    /// </summary>
    static readonly string[] BadRouteValues =
        ["%20", "..", "%2e%2e%2f%2e%2e%2fetc", "a%01b", new string('x', 65), new string('9', 300), "%F0%9F%92%A9", "330106-001-001%0a", "%27%3B%20drop%20table",
         "%ff%fe", "330106-001-00%EF%BC%91", "%3Cscript%3E", "..%5C..%5C", "330106%E2%80%8B-001-001"];

    public static Gen<HostileRequest> Against(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) => endpoint.Shape switch
    {
        BodyShape.Object => Gen.Frequency(
            (3, WrongType(endpoint, routeValues)), (2, UnknownField(endpoint, routeValues)), (1, NullWhereRequired(endpoint, routeValues)),
            (2, HugeNumber(endpoint, routeValues)), (2, Overlong(endpoint, routeValues)), (2, ControlCharacters(endpoint, routeValues)),
            (2, InvalidUtf8(endpoint, routeValues)), (2, Truncated(endpoint, routeValues)), (1, DeepNesting(endpoint, routeValues)),
            (1, WrongContentType(endpoint, routeValues)), (1, NotAnObject(endpoint, routeValues)), (2, BadRoute(endpoint, routeValues))),
        BodyShape.Batch => Gen.Frequency(
            (2, ItemsOfWrongType(endpoint, routeValues)), (2, UnknownField(endpoint, routeValues)), (2, InvalidUtf8(endpoint, routeValues)),
            (2, Truncated(endpoint, routeValues)), (1, DeepNesting(endpoint, routeValues)), (1, WrongContentType(endpoint, routeValues)),
            (1, NotAnObject(endpoint, routeValues)), (1, ControlCharacters(endpoint, routeValues))),
        BodyShape.JsonArray or BodyShape.Readings => Gen.Frequency(
            (2, NotAnArray(endpoint, routeValues)), (2, Truncated(endpoint, routeValues)), (2, InvalidUtf8(endpoint, routeValues)),
            (1, DeepNesting(endpoint, routeValues)), (1, WrongContentType(endpoint, routeValues)), (1, ControlCharacters(endpoint, routeValues))),
        _ => Gen.Frequency((3, HostileCsvHeader(endpoint, routeValues)), (1, WrongContentType(endpoint, routeValues))),
    };

    static string PathOf(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, (string Name, string Value)? replaced = null)
    {
        var path = endpoint.Pattern;
        foreach (var (name, value) in routeValues)
            path = path.Replace("{" + name + "}", replaced?.Name == name ? replaced.Value.Value : Uri.EscapeDataString(value));
        // A parameter without a known value (a new endpoint): any id-like value reaches the endpoint's validation.
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", "x1");
    }

    static string[] RouteParameters(WriteEndpoint endpoint) =>
        System.Text.RegularExpressions.Regex.Matches(endpoint.Pattern, @"\{([^}:?]+)").Select(m => m.Groups[1].Value).ToArray();

    /// <summary>The seed as the body: an object, or for array endpoints an array holding it.</summary>
    static JsonNode Body(WriteEndpoint endpoint, JsonObject seed) =>
        endpoint.Shape is BodyShape.JsonArray or BodyShape.Readings ? new JsonArray(seed.DeepClone()) : seed;

    static HostileRequest Json(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, JsonNode body, string attack, string detail) =>
        new(endpoint.Method, PathOf(endpoint, routeValues), "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()), attack, detail);

    static Gen<string> FieldOf(WriteEndpoint endpoint, Func<JsonNode?, bool>? where = null)
    {
        var fields = endpoint.Seed.Where(p => where?.Invoke(p.Value) ?? true).Select(p => p.Key).ToArray();
        return fields.Length == 0 ? Gen.Constant("") : Gen.Elements(fields);
    }

    static bool IsString(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out _);
    static bool IsNumber(JsonNode? n) => n is JsonValue v && (v.TryGetValue<double>(out _) || v.TryGetValue<int>(out _)) && !IsString(n);
    static bool IsBoolean(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out _);

    static Gen<HostileRequest> WrongType(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from field in FieldOf(endpoint)
        from pick in Gen.Choose(0, 100)
        select Spoil(endpoint, routeValues, field, pick, "wrong type");

    static HostileRequest Spoil(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, string field, int pick, string attack)
    {
        var seed = endpoint.Seed.DeepClone().AsObject();
        if (field == "") return Json(endpoint, routeValues, new JsonArray(), attack, "body as an array");
        var current = seed[field];
        var choices = IsString(current) ? NotStrings : IsNumber(current) ? NotNumbers : IsBoolean(current) ? NotBooleans
            : current is JsonArray ? ["x", 1, true, new JsonObject()] : NotStrings.Where(n => n is not JsonObject).ToArray();
        var value = choices[pick % choices.Length]?.DeepClone();
        if (field.Contains('.'))
        {
            var (outer, inner) = (field[..field.IndexOf('.')], field[(field.IndexOf('.') + 1)..]);
            seed[outer]![inner] = value;
        }
        else seed[field] = value;
        return Json(endpoint, routeValues, Body(endpoint, seed), attack, $"{field}={value?.ToJsonString() ?? "null"}");
    }

    static Gen<HostileRequest> UnknownField(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from name in Gen.OneOf(Gen.Elements(UnknownNames), Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz_0123456789".ToCharArray()), n)).Select(c => "x" + new string(c)))
        from value in Gen.Elements<JsonNode?>(1, "x", true, null, new JsonObject(), new JsonArray())
        select Json(endpoint, routeValues, Body(endpoint, With(endpoint.Seed, name, value)), "unknown field", name);

    static JsonObject With(JsonObject seed, string name, JsonNode? value)
    {
        var copy = seed.DeepClone().AsObject();
        copy[name] = value?.DeepClone();
        return copy;
    }

    static Gen<HostileRequest> NullWhereRequired(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        endpoint.Required.Length == 0
            ? WrongType(endpoint, routeValues)
            : Gen.Elements(endpoint.Required).Select(field => Json(endpoint, routeValues, Body(endpoint, With(endpoint.Seed, field, null)), "null where required", field));

    static Gen<HostileRequest> HugeNumber(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from field in FieldOf(endpoint, IsNumber).SelectMany(f => f == "" ? FieldOf(endpoint) : Gen.Constant(f))
        from number in Gen.Elements(HugeNumbers)
        select Raw(endpoint, routeValues, field, number, "huge number");

    /// <summary>The body with a field's value replaced by raw JSON text (numbers JsonNode cannot hold, nesting, bad bytes).</summary>
    static HostileRequest Raw(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, string field, string rawJson, string attack) =>
        RawBytes(endpoint, routeValues, field, Encoding.UTF8.GetBytes(rawJson), attack, $"{field}={(rawJson.Length > 40 ? rawJson[..40] + "..." : rawJson)}");

    static HostileRequest RawBytes(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, string field, byte[] raw, string attack, string detail)
    {
        var seed = field == "" ? With(endpoint.Seed, "x", Marker) : With(endpoint.Seed, field, Marker);
        var text = Encoding.UTF8.GetBytes(Body(endpoint, seed).ToJsonString());
        var quoted = Encoding.UTF8.GetBytes($"\"{Marker}\"");
        var at = text.AsSpan().IndexOf(quoted);
        return new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), "application/json",
            [.. text[..at], .. raw, .. text[(at + quoted.Length)..]], attack, detail);
    }

    /// <summary>A string value with raw bytes inside its quotes.</summary>
    static HostileRequest InString(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, string field, byte[] inside, string attack, string detail)
    {
        var original = endpoint.Seed[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "abc";
        var half = original.Length / 2;
        return RawBytes(endpoint, routeValues, field,
            [(byte)'"', .. Encoding.UTF8.GetBytes(original[..half]), .. inside, .. Encoding.UTF8.GetBytes(original[half..]), (byte)'"'], attack, detail);
    }

    static Gen<HostileRequest> Overlong(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from field in FieldOf(endpoint, IsString).SelectMany(f => f == "" ? FieldOf(endpoint) : Gen.Constant(f))
        // Longer than any field allows (the longest, a note, takes 500); the last is over the 1 MiB body limit.
        from length in Gen.Elements(501, 4_097, 20_000, 300_000, 1_100_000)
        from c in Gen.Elements('a', '9', '张', '-')
        select Json(endpoint, routeValues, Body(endpoint, With(endpoint.Seed, field, new string(c, length))), "overlong string", $"{field}: {length:N0} × '{c}'");

    static Gen<HostileRequest> ControlCharacters(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from field in FieldOf(endpoint, IsString).SelectMany(f => f == "" ? FieldOf(endpoint) : Gen.Constant(f))
        // Inside a bulk body an escaped character spoils one item, which is answered as such: only raw ones spoil the request.
        from raw in endpoint.Shape == BodyShape.Object ? Gen.Elements(true, false) : Gen.Constant(true)
        from escape in Gen.Elements(Escapes)
        from control in Gen.Choose(0, 31)
        select field == "" ? Truncate(endpoint, routeValues, 1)
            : raw ? InString(endpoint, routeValues, field, [(byte)control], "raw control character", $"{field}: byte 0x{control:X2}")
            : InString(endpoint, routeValues, field, Encoding.ASCII.GetBytes(escape), "escaped control character", $"{field}: {escape}");

    static Gen<HostileRequest> InvalidUtf8(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from field in FieldOf(endpoint, IsString).SelectMany(f => f == "" ? FieldOf(endpoint) : Gen.Constant(f))
        from bytes in Gen.Elements(BadUtf8)
        from inName in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select field == "" || inName
            ? NameWithBytes(endpoint, routeValues, bytes)
            : InString(endpoint, routeValues, field, bytes, "invalid UTF-8", $"{field}: {Convert.ToHexString(bytes)}");

    /// <summary>Invalid bytes in a property name.</summary>
    static HostileRequest NameWithBytes(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, byte[] bytes)
    {
        var text = Encoding.UTF8.GetBytes(Body(endpoint, endpoint.Seed).ToJsonString());
        var brace = Array.IndexOf(text, (byte)'{');
        byte[] member = [(byte)'"', .. bytes, (byte)'"', (byte)':', (byte)'1', (byte)','];
        var body = endpoint.Seed.Count == 0 ? [.. text[..(brace + 1)], .. member[..^1], .. text[(brace + 1)..]] : (byte[])[.. text[..(brace + 1)], .. member, .. text[(brace + 1)..]];
        return new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), "application/json", body, "invalid UTF-8", $"in a field name: {Convert.ToHexString(bytes)}");
    }

    static Gen<HostileRequest> Truncated(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        Gen.Choose(1, 10_000).Select(cut => Truncate(endpoint, routeValues, cut));

    static HostileRequest Truncate(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues, int cut)
    {
        var whole = Encoding.UTF8.GetBytes(Body(endpoint, endpoint.Seed).ToJsonString());
        var at = 1 + cut % (whole.Length - 1);
        return new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), "application/json", whole[..at], "truncated JSON", $"{at} of {whole.Length} bytes");
    }

    static Gen<HostileRequest> DeepNesting(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from field in FieldOf(endpoint)
        from depth in Gen.Elements(17, 65, 1_000, 100_000)
        from array in Gen.Elements(true, false)
        select Raw(endpoint, routeValues, field, array
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth), "deep nesting");

    static Gen<HostileRequest> WrongContentType(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        from type in Gen.Elements(WrongContentTypes.Append(null).Append(endpoint.Shape == BodyShape.Csv ? "application/json" : "text/csv").ToArray())
        select new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), type,
            endpoint.Shape == BodyShape.Csv ? Encoding.UTF8.GetBytes(ValidCsv) : Encoding.UTF8.GetBytes(Body(endpoint, endpoint.Seed).ToJsonString()),
            "wrong content type", type ?? "none");

    static Gen<HostileRequest> NotAnObject(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        Gen.Elements("[]", "\"x\"", "42", "true", "[{}]", "\"\"", "[null]", "1e400", " ").Select(text =>
            new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), "application/json", Encoding.UTF8.GetBytes(text), "not an object", text));

    static Gen<HostileRequest> NotAnArray(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        // An empty array is a valid (empty) upload of readings.
        Gen.Elements(new[] { "{}", "\"x\"", "42", "true", "null", "{\"items\":[]}", "" }.Concat(endpoint.Shape == BodyShape.Readings ? [] : ["[]"]).ToArray()).Select(text =>
            new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), "application/json", Encoding.UTF8.GetBytes(text), "not an array", text == "" ? "empty body" : text));

    static Gen<HostileRequest> ItemsOfWrongType(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues) =>
        Gen.Elements<JsonNode?>("x", 1, true, new JsonObject(), null, new JsonArray()).Select(items =>
            Json(endpoint, routeValues, new JsonObject { ["items"] = items?.DeepClone() }, "items of the wrong type", items?.ToJsonString() ?? "null"));

    static Gen<HostileRequest> BadRoute(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues)
    {
        var parameters = RouteParameters(endpoint);
        if (parameters.Length == 0) return WrongType(endpoint, routeValues);
        return from name in Gen.Elements(parameters)
               from value in Gen.Elements(BadRouteValues)
               select new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues, (name, value)), "application/json",
                   Encoding.UTF8.GetBytes(Body(endpoint, endpoint.Seed).ToJsonString()), "bad route value", $"{name}={value}");
    }

    public const string ValidCsv = "idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId\n";

    /// <summary>Uploads whose header cannot be used: refused as a whole, before any row is read.</summary>
    static Gen<HostileRequest> HostileCsvHeader(WriteEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues)
    {
        var header = ValidCsv.TrimEnd('\n');
        var headers = new (string Name, byte[] Bytes)[]
        {
            ("empty body", []),
            ("blank lines only", "\n\n\r\n"u8.ToArray()),
            ("missing columns", "idNumber,cellId\n"u8.ToArray()),
            ("duplicate column", Encoding.UTF8.GetBytes(header + ",cellId\n")),
            ("UTF-16 without a byte order mark", Encoding.Unicode.GetBytes(ValidCsv)),
            ("GBK header", [0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4, 0x2C, 0xD0, 0xD5, 0xC3, 0xFB, 0x0A]),
            ("NUL bytes in the header", Encoding.UTF8.GetBytes(header.Replace(",", ",\0") + "\n")),
            ("unclosed quote in the header", Encoding.UTF8.GetBytes("\"" + ValidCsv + ValidCsv)),
            ("binary", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray()),
            ("an enormous first line", Encoding.UTF8.GetBytes(new string('a', 200_000) + "\n")),
            ("semicolons", Encoding.UTF8.GetBytes(header.Replace(',', ';') + "\n")),
            ("formula header", "=cmd|' /C calc'!A0,@SUM(1+1)\n"u8.ToArray()),
        };
        return Gen.Elements(headers).Select(h =>
            new HostileRequest(endpoint.Method, PathOf(endpoint, routeValues), "text/csv", h.Bytes, "hostile CSV header", h.Name));
    }
}
