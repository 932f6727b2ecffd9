namespace EpiGrid.WebHost.Api;

/// <summary>
/// The row errors an upload answers with: the first <see cref="Listed"/> by line, and how many there were in all.
/// A file of a million bad rows costs 1,000 errors of memory, not a million (the cap is our choice: enough to
/// fix a file by, small enough to answer at once).
/// </summary>
public sealed class FirstRowErrors<T>(Func<T, int> lineOf)
{
    public const int Listed = 1000;

    // A max-heap on (line, arrival): the last kept error is the one dropped when a smaller line comes in.
    readonly PriorityQueue<T, (int Line, long Order)> kept = new(Comparer<(int Line, long Order)>.Create((a, b) => b.CompareTo(a)));
    readonly Lock gate = new();
    long order;

    /// <summary>Every error added, listed or not.</summary>
    public int Count { get; private set; }

    /// <summary>Safe from several tasks at once (an import reads rows while the previous chunk commits).</summary>
    public void Add(T error)
    {
        lock (gate)
        {
            Count++;
            kept.Enqueue(error, (lineOf(error), order++));
            if (kept.Count > Listed) kept.Dequeue();
        }
    }

    public void AddRange(IEnumerable<T> errors)
    {
        foreach (var e in errors) Add(e);
    }

    /// <summary>The listed errors in line order (errors of one line in the order they were found).</summary>
    public List<T> InLineOrder()
    {
        lock (gate)
            return kept.UnorderedItems.OrderBy(i => i.Priority.Line).ThenBy(i => i.Priority.Order).Select(i => i.Element).ToList();
    }
}
