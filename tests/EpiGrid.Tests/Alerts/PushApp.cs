using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Alerts;

/// <summary>The platform on real loopback sockets, with the Redis backplane that test.sh starts.</summary>
public class PushApp : EpiGridApp
{
    public override bool RealServer => true;
    public override string? Redis => System.Environment.GetEnvironmentVariable("EPIGRID_TEST_REDIS")
        ?? throw new InvalidOperationException("EPIGRID_TEST_REDIS is not set: run the tests through ./test.sh");
}

public sealed class EscalationApp : PushApp;
