using System.Text;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Security;

/// <summary>
/// What an answer means for the matrix. <see cref="Ok"/> is 2xx (or a redirect); over SignalR a call that returns.
/// <see cref="Forbidden"/> is 403, a batch item or bulk row refused for jurisdiction, or a hub method refused with
/// a HubException. <see cref="Other"/> is anything else (400, 409, 500, ...): never expected, always a failure.
/// </summary>
public enum Answer { Ok, Unauthorized, Forbidden, NotFound, Other }

/// <summary>The target of a call: inside the caller's jurisdiction (cell 330782-601-001, county 330782) or outside it (county 330110).</summary>
public enum Scope { Inside, Outside }

/// <summary>How a caller's token is made: none, signed with the deployment's key, signed with another key, or expired.</summary>
public enum TokenKind { None, Valid, Forged, Expired }

/// <summary>
/// Who calls: a role of <see cref="Roles.All"/>, nobody (no token), a valid token that names no known role, and an
/// admin's token that is forged (another signing key) or expired an hour ago.
/// </summary>
public sealed record Caller(string Name, string? Role, TokenKind Token)
{
    public const string AnonymousName = "anonymous", NoRoleName = "no role", ForgedName = "forged admin", ExpiredName = "expired admin";

    public static IReadOnlyList<Caller> Roles { get; } = EpiGrid.WebHost.Auth.Roles.All.Select(r => new Caller(r, r, TokenKind.Valid)).ToList();
    public static Caller Anonymous { get; } = new(AnonymousName, null, TokenKind.None);
    /// <summary>A signed token whose role claim is no role of EpiGrid's: authenticated, but may do nothing a role is needed for.</summary>
    public static Caller NoRole { get; } = new(NoRoleName, "visitor", TokenKind.Valid);
    public static Caller Forged { get; } = new(ForgedName, EpiGrid.WebHost.Auth.Roles.Admin, TokenKind.Forged);
    public static Caller Expired { get; } = new(ExpiredName, EpiGrid.WebHost.Auth.Roles.Admin, TokenKind.Expired);
    public static IReadOnlyList<Caller> All { get; } = [.. Roles, Anonymous, NoRole, Forged, Expired];

    public override string ToString() => Name;
}

/// <summary>The expected answer to one caller, inside and outside their jurisdiction.</summary>
public readonly record struct Expected(Answer Inside, Answer Outside)
{
    public Answer In(Scope scope) => scope == Scope.Inside ? Inside : Outside;

    public static Expected Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length switch
        {
            1 => new(ParseOne(parts[0]), ParseOne(parts[0])),
            2 => new(ParseOne(parts[0]), ParseOne(parts[1])),
            _ => throw new FormatException($"'{text}': one answer, or inside/outside."),
        };
    }

    static Answer ParseOne(string text) => text switch
    {
        "ok" => Answer.Ok,
        "401" => Answer.Unauthorized,
        "403" => Answer.Forbidden,
        "404" => Answer.NotFound,
        _ => throw new FormatException($"'{text}' is not ok, 401, 403 or 404."),
    };

    public static string Text(Answer a) => a switch
    {
        Answer.Ok => "ok",
        Answer.Unauthorized => "401",
        Answer.Forbidden => "403",
        Answer.NotFound => "404",
        _ => "other",
    };

    public override string ToString() => Inside == Outside ? Text(Inside) : $"{Text(Inside)} / {Text(Outside)}";
}

/// <summary>
/// One line of the matrix: an endpoint ("GET /api/v1/cells/{cellId}") or a hub method ("GridHub.Ack"), and what
/// each caller gets. The columns are <see cref="Roles.All"/> in order, then anonymous; a token naming no known
/// role gets what anonymous gets, except 403 where anonymous gets 401; a forged or expired admin token gets exactly
/// what anonymous gets.
/// </summary>
public sealed record Rule(string Key, IReadOnlyDictionary<string, Expected> Expectations, string? Note)
{
    public static IReadOnlyList<string> Columns { get; } = [.. Roles.All, Caller.AnonymousName];

    public static Rule Parse(string key, string row, string? note = null)
    {
        var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cells.Length != Columns.Count)
            throw new FormatException($"{key}: {cells.Length} answers for {Columns.Count} columns ({string.Join(", ", Columns)}).");
        var expected = Columns.Zip(cells, (c, text) => (c, Expected.Parse(text))).ToDictionary(x => x.c, x => x.Item2);
        var anonymous = expected[Caller.AnonymousName];
        expected[Caller.NoRoleName] = new(NoRole(anonymous.Inside), NoRole(anonymous.Outside));
        expected[Caller.ForgedName] = expected[Caller.ExpiredName] = anonymous;
        return new Rule(key, expected, note);
    }

    static Answer NoRole(Answer anonymous) => anonymous == Answer.Unauthorized ? Answer.Forbidden : anonymous;

    public Answer For(Caller caller, Scope scope) => Expectations[caller.Name].In(scope);

    /// <summary>The rules as a markdown table: what auditors read in docs/authorization.md.</summary>
    public static string Markdown(IEnumerable<Rule> rules)
    {
        var callers = Caller.All.Select(c => c.Name).ToList();
        var text = new StringBuilder();
        text.Append("| endpoint or hub method | ").AppendJoin(" | ", callers).Append(" |\n");
        text.Append("|---|").AppendJoin("", callers.Select(_ => "---|")).Append('\n');
        foreach (var rule in rules)
        {
            var key = rule.Key.Replace("|", "\\|");
            text.Append("| `").Append(key).Append('`');
            if (rule.Note is not null) text.Append(' ').Append(rule.Note);
            text.Append(" | ").AppendJoin(" | ", callers.Select(c => rule.Expectations[c].ToString())).Append(" |\n");
        }
        return text.ToString();
    }
}
