global using EpiGrid.Domain;
global using EpiGrid.Geography;
