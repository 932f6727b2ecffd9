global using System.Text.Json;
global using EpiGrid.Audit;
global using EpiGrid.Geography;
global using EpiGrid.WebHost.Auth;
global using EpiGrid.WebHost.Http;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Mvc;
global using Orleans;
