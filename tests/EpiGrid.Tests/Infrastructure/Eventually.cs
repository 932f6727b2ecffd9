namespace EpiGrid.Tests.Infrastructure;

/// <summary>Waits for a condition that becomes true asynchronously (streams, timers), failing after a deadline.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, TimeSpan within, string? because = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met within {within.TotalSeconds:0.#} s{(because is null ? "" : ": " + because)}");
            await Task.Delay(50);
        }
    }
}
