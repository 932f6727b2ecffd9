namespace EpiGrid.Events;

/// <summary>
/// Someone looked at the history: who, through which endpoint, at what (the query as asked) and how much came back.
/// Stream key: "audit:&lt;actor&gt;". Auditors change nothing, but what they read is itself on record.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.audit-queried")]
public sealed record AuditQueried(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string Role,
    [property: Id(2)] IReadOnlyDictionary<string, string> Query,
    [property: Id(3)] EventMeta Meta) : IEpiEvent;

public static class AuditStreamKeys
{
    public static string Audit(string actor) => "audit:" + actor;
}
