global using Orleans;
global using EpiGrid.Domain;
