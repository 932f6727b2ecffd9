namespace EpiGrid.WebHost.Http;

/// <summary>
/// One cell of every CSV EpiGrid writes. RFC 4180 quoting, and OWASP's defence against formula injection: a cell a
/// spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is prefixed with a single
/// quote and quoted, so <c>=cmd|' /C calc'!A0</c> sent in as a name or a subject arrives in an export as text.
/// </summary>
public static class CsvCells
{
    static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    static readonly char[] NeedQuotes = [',', '"', '\n', '\r'];

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var formula = value.IndexOfAny(FormulaStarts) == 0;
        if (!formula && value.IndexOfAny(NeedQuotes) < 0) return value;
        return "\"" + (formula ? "'" : "") + value.Replace("\"", "\"\"") + "\"";
    }

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Escape));
}
