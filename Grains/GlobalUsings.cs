global using Orleans;
global using EpiGrid.Contracts;
global using EpiGrid.Domain;
global using EpiGrid.Events;
global using EpiGrid.Rules;
global using Microsoft.Extensions.Logging;
