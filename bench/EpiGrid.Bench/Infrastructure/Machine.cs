using System.Runtime.InteropServices;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>What the figures were measured on; load at start tells whether the machine was shared.</summary>
public static class Machine
{
    public static JsonObject Describe() => new()
    {
        ["cores"] = Environment.ProcessorCount,
        ["memoryMb"] = MemoryMb(),
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["postgres"] = "15 (private instance, defaults, fsync on)",
        ["loadAverageAtStart"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null,
    };

    static long? MemoryMb()
    {
        if (!File.Exists("/proc/meminfo")) return null;
        var total = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:"));
        return long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }
}
