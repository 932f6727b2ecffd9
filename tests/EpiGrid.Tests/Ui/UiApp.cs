using EpiGrid.Tests.Alerts;

namespace EpiGrid.Tests.Ui;

/// <summary>The platform on a loopback port (with the Redis backplane) and a headless Chromium beside it.</summary>
public class UiApp : PushApp, IAsyncLifetime
{
    public Browser Browser { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Browser = await Browser.Launch();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        await DisposeAsync();
    }
}

/// <summary>A province of 85,000 seeded cells, for measuring the first view.</summary>
public sealed class SeededUiApp : UiApp
{
    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?> { ["Seeding:Cells"] = "85000" };
}
