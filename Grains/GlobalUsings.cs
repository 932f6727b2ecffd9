global using Orleans;
global using Microsoft.Extensions.Logging;
