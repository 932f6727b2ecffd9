using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Where a process spent its CPU or its allocations, from a dotnet-trace file (BENCHMARKS.md, "The silo's CPU profiled"):
//   dotnet run -c Release --project tools/EpiGrid.TraceReport -- FILE.nettrace [--frame TEXT] [--top N]
// CPU: `dotnet-trace collect-linux -p PID --profile cpu-sampling` (the kernel's samples of running threads; needs root).
// Allocations: `dotnet-trace collect -p PID --profile gc-verbose` (a tick about every 100 KB, weighted by its bytes).
// It prints the share of samples by the frame they were in (exclusive) and by every frame on their stack (inclusive);
// with --frame, the share whose stack holds a frame containing TEXT, by the caller of that frame.
if (args.Length == 0 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: EpiGrid.TraceReport FILE.nettrace [--frame TEXT] [--top N]");
    return 2;
}
var frameFilter = Option("--frame");
var top = int.Parse(Option("--top") ?? "30");

using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var exclusive = new Dictionary<string, double>();
var inclusive = new Dictionary<string, double>();
var callers = new Dictionary<string, double>();
double total = 0, matched = 0;
var kind = "";
foreach (var e in log.Events)
{
    // A CPU sample weighs one; an allocation tick weighs the bytes it stands for.
    double weight;
    if (e is GCAllocationTickTraceData tick) (weight, kind) = (tick.AllocationAmount64, "allocated bytes");
    else if (e.EventName.EndsWith("/cpu", StringComparison.Ordinal) || e.EventName == "cpu") (weight, kind) = (1, "CPU samples");
    else continue;
    if (e.CallStack() is not { } stack) continue;
    total += weight;
    var seen = new HashSet<string>();
    var first = true;
    var hit = false;
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        var name = Name(frame);
        if (first) Add(exclusive, name, weight);
        first = false;
        if (seen.Add(name)) Add(inclusive, name, weight);
        if (!hit && frameFilter is not null && name.Contains(frameFilter, StringComparison.Ordinal))
        {
            hit = true;
            matched += weight;
            Add(callers, frame.Caller is { } caller ? Name(caller) : "(none)", weight);
        }
    }
}
if (total == 0)
{
    Console.Error.WriteLine("no CPU samples or allocation ticks with stacks in this file");
    return 1;
}
Console.WriteLine($"{total:N0} {kind}");
Print("exclusive (the frame a sample was in)", exclusive);
Print("inclusive (every frame on the stack)", inclusive);
if (frameFilter is not null)
{
    Console.WriteLine($"\nframes containing \"{frameFilter}\": {matched / total:P1}");
    Print("by their caller", callers);
}
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string Name(TraceCallStack frame) => frame.CodeAddress.FullMethodName is { Length: > 0 } method
    ? method
    : frame.CodeAddress.ModuleName + "!?";

static void Add(Dictionary<string, double> into, string key, double weight) => into[key] = into.GetValueOrDefault(key) + weight;

void Print(string title, Dictionary<string, double> shares)
{
    Console.WriteLine($"\n{title}");
    foreach (var (name, weight) in shares.OrderByDescending(p => p.Value).Take(top))
        Console.WriteLine($"{weight / total,7:P1}  {name}");
}
