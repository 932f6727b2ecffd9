using System.CommandLine;
using EpiGrid.Cli;

// One file per command; each adds itself to the root.
var root = new RootCommand("EpiGrid from the command line: talks to a running web host over its HTTP API.");
root.Add(ExportCommand.Create());
root.Add(VerifyCommand.Create());
root.Add(RebuildRegistersCommand.Create());
root.Add(WatchCommand.Create());
root.Add(ProbeCommand.Create());
root.Add(ImportCommand.Create());
return await root.Parse(args).InvokeAsync();
