using System.Runtime.CompilerServices;
using System.Text;

namespace EpiGrid.WebHost.Api;

/// <summary>A streaming RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks; line numbers count from 1.</summary>
public static class CsvRows
{
    public sealed record Row(int Line, string[] Fields, string? Error);

    public static async IAsyncEnumerable<Row> Read(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            var first = ++line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            string? error = null;
            for (var i = 0; ; i++)
            {
                if (i == text.Length)
                {
                    if (!quoted) break;
                    // A quoted field goes on over the line break.
                    if (await reader.ReadLineAsync(cancellationToken) is not { } next) { error = "A quoted field is not closed."; break; }
                    line++;
                    field.Append('\n');
                    text = next;
                    i = -1;
                    continue;
                }
                var c = text[i];
                if (quoted)
                {
                    if (c != '"') field.Append(c);
                    else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
                else if (c == '"' && field.Length == 0) quoted = true;
                else if (c == '"') { error = "A quote inside an unquoted field."; }
                else field.Append(c);
            }
            fields.Add(field.ToString());
            if (text.Length == 0 && fields.Count == 1 && error is null) continue; // blank line
            yield return new Row(first, fields.ToArray(), error);
        }
    }
}
