global using System.Diagnostics;
global using System.Text.Json.Nodes;
global using EpiGrid.Bench.Infrastructure;
global using EpiGrid.Geography;
