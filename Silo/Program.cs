using EpiGrid.Silo;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddEpiGridSilo();
await builder.Build().RunAsync();

/// <summary>Internal: the Orleans dashboard brings ASP.NET Core, whose generator would make this Program public and clash with the web host's in the tests.</summary>
internal partial class Program;
