namespace EpiGrid.Tests.Chaos;

/// <summary>A fault scenario: real processes killed under load, about a minute each. Runs when EPIGRID_CHAOS=1 (test.sh and chaos.sh set it).</summary>
public sealed class ChaosFactAttribute : FactAttribute
{
    /// <remarks>Bounded without an xunit timeout: every wait in a scenario has its own deadline.</remarks>
    public ChaosFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("EPIGRID_CHAOS") != "1") Skip = "Fault scenario: set EPIGRID_CHAOS=1 or run ./chaos.sh";
    }
}

/// <summary>The scenarios run one at a time and alone: they measure failover times on a 2-core machine.</summary>
[CollectionDefinition(nameof(FaultScenarios), DisableParallelization = true)]
public sealed class FaultScenariosCollection;
