namespace EpiGrid.WebHost.Http;

/// <summary>
/// Collects validation errors keyed by JSON field path. A prefix ("items[3].") lets the batch endpoint reuse
/// the single endpoints' validation and still point at the right item.
/// </summary>
public sealed class FieldErrors(string prefix = "")
{
    readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    /// <summary>How many messages were collected: a part of a request checked its own fields when this grew.</summary>
    public int Count => errors.Values.Sum(m => m.Count);

    public void Add(string field, string message)
    {
        var key = prefix + field;
        if (!errors.TryGetValue(key, out var messages)) errors[key] = messages = [];
        messages.Add(message);
    }

    /// <summary>Takes another collection's errors, with their own prefixes (an item checked on its own).</summary>
    public void AddAll(FieldErrors other)
    {
        foreach (var (key, messages) in other.errors)
        {
            if (!errors.TryGetValue(key, out var mine)) errors[key] = mine = [];
            mine.AddRange(messages);
        }
    }

    public ProblemDetails ToProblem() => Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
