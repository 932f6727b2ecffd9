using System.Runtime.CompilerServices;
using System.Text;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// A streaming RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks; line numbers count from 1.
/// Hostile files cost a row each, never the upload: a row that is too long, broken in its quoting, or carries bytes
/// that are not UTF-8 text (GBK, UTF-16 without a byte order mark, binary) comes back with its error, and reading
/// goes on at the next line. No row holds more than <see cref="MaxRowChars"/> characters in memory.
/// </summary>
public static class CsvRows
{
    public sealed record Row(int Line, string[] Fields, string? Error);

    /// <summary>Far above a real row (ten fields of at most 100 characters): an unclosed quote stops here, not at the end of the file.</summary>
    public const int MaxRowChars = 16 * 1024;

    public static async IAsyncEnumerable<Row> Read(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new char[16 * 1024];
        var record = new Record();
        var (line, skipLineFeed, start) = (1, false, true);
        int length;
        while ((length = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            for (var i = 0; i < length; i++)
            {
                var c = buffer[i];
                if (skipLineFeed)
                {
                    skipLineFeed = false;
                    if (c == '\n') continue; // the second half of \r\n
                }
                if (start)
                {
                    start = false;
                    if (c == '\uFEFF') continue; // a byte order mark the decoder left
                }
                if (c is '\r' or '\n')
                {
                    skipLineFeed = c == '\r';
                    line++;
                    if (record.EndOfLine() is { } row) yield return row;
                    record.Line = record.Open ? record.Line : line;
                    continue;
                }
                record.Add(c);
            }
        }
        if (record.EndOfFile() is { } last) yield return last;
    }

    /// <summary>The columns of a header row by name, or why the header cannot be used.</summary>
    public static Dictionary<string, int>? Columns(Row header, out string? problem)
    {
        problem = header.Error;
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Length && problem is null; i++)
            if (!columns.TryAdd(header.Fields[i].Trim().TrimStart('\uFEFF'), i)) problem = $"Column '{header.Fields[i].Trim()}' appears twice.";
        return problem is null ? columns : null;
    }

    /// <summary>The record being read: its fields so far, whether a quoted field is open, and its first error.</summary>
    sealed class Record
    {
        readonly List<string> fields = [];
        readonly StringBuilder field = new();
        bool quoted, closedQuote, skipping;
        int chars;
        string? error;

        public int Line { get; set; } = 1;
        public bool Open => quoted && !skipping;

        public void Add(char c)
        {
            if (!Count()) return;
            if (c == '\uFFFD') Fail("The row holds bytes that are not UTF-8 (GBK or another encoding?): save the file as UTF-8.");
            else if (char.IsControl(c) && c != '\t') Fail($"The row holds a control character U+{(int)c:X4} (a UTF-16 file without a byte order mark, or binary data?).");

            if (quoted)
            {
                if (c == '"') { quoted = false; closedQuote = true; }
                else field.Append(c);
            }
            else if (c == ',') NextField();
            else if (closedQuote && c == '"') { field.Append('"'); quoted = true; closedQuote = false; } // a doubled quote
            else if (closedQuote) Fail("Text after the closing quote of a field.");
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == '"') Fail("A quote inside an unquoted field.");
            else field.Append(c);
        }

        /// <summary>A line ends: inside a quoted field it is part of the field, else the record is complete.</summary>
        public Row? EndOfLine()
        {
            if (!Open) return Complete();
            if (Count()) field.Append('\n');
            return Open ? null : Complete();
        }

        /// <summary>One more character of the row; false once the row is too long to keep.</summary>
        bool Count()
        {
            if (skipping) return false;
            if (++chars <= MaxRowChars) return true;
            Fail($"The row is longer than {MaxRowChars:N0} characters (an unclosed quote?); the rest of its line was skipped.");
            skipping = true;
            return false;
        }

        public Row? EndOfFile()
        {
            if (Open) Fail("A quoted field is not closed.");
            return chars == 0 && error is null ? null : Complete();
        }

        Row? Complete()
        {
            NextField();
            var blank = chars == 0 && error is null;
            var row = blank ? null : new Row(Line, skipping ? [] : fields.ToArray(), error);
            fields.Clear();
            (quoted, closedQuote, skipping, chars, error) = (false, false, false, 0, null);
            return row;
        }

        void NextField()
        {
            fields.Add(field.ToString());
            field.Clear();
            closedQuote = false;
        }

        void Fail(string reason) => error ??= reason;
    }
}
