namespace EpiGrid.Grains.Push;

/// <summary>One SignalR backplane as the push hub sees it: what waits for it and its delivery loop.</summary>
public sealed class PushDestination(string id)
{
    TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;
    public PushBuffer Buffer { get; } = new();
    public Task Pumping { get; set; } = Task.CompletedTask;

    /// <summary>Ends a wait between attempts early: a host registered, or there is more to push.</summary>
    public void Wake() => wake.TrySetResult();

    public async Task Sleep(TimeSpan delay)
    {
        await Task.WhenAny(Task.Delay(delay), wake.Task);
        wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
