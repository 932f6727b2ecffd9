global using EpiGrid.Geography;
