using EpiGrid.Silo;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddEpiGridSilo();
await builder.Build().RunAsync();
