using System.Diagnostics;
using EpiGrid.Platform;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// The rebuild at the size of a province: the seeded cells and persons from a bulk arrivals import (20,000 rows; set
/// EPIGRID_REBUILD_ROWS for more, as measured for deploy/README.md), rebuilt page by page to the same rows.
/// </summary>
public sealed class RegisterRebuildScaleTests(ImportApp app, ITestOutputHelper output) : IClassFixture<ImportApp>
{
    static int Rows => int.TryParse(Environment.GetEnvironmentVariable("EPIGRID_REBUILD_ROWS"), out var n) ? n : 20_000;

    [Fact]
    public async Task Thousands_of_cells_and_persons_rebuild_to_the_rows_the_live_writes_left()
    {
        var cells = ImportApp.SeededCellIds();
        var (csv, bad) = ImportTests.Generate(Rows, cells);
        using var ingest = app.As(Roles.Ingest);
        ingest.Timeout = TimeSpan.FromMinutes(20);
        (await ImportTests.Upload(ingest, csv))["imported"]!.GetValue<int>().ShouldBe(Rows - bad.Count);

        var clock = Stopwatch.StartNew();
        var report = await app.Silo.Grains.GetGrain<IRegistersGrain>(0).Rebuild();
        var line = $"Register rebuild: {string.Join(", ", report.Registers.Select(r => $"{r.Register} {r.RowsAfter:N0} rows ({r.RowsDiffered} differed)"))} " +
                   $"in {clock.Elapsed.TotalSeconds:0.0} s";
        output.WriteLine(line);
        Console.WriteLine(line); // into the run's log, where the figures are read from
        report.Registers.ShouldAllBe(r => r.RowsDiffered == 0 && r.RowsBefore == r.RowsAfter, string.Join(", ", report.Registers));
        report.Registers.Single(r => r.Register == "persons").RowsAfter.ShouldBe(Rows - bad.Count);
        report.Registers.Single(r => r.Register == "cells").RowsAfter.ShouldBe(ImportApp.SeededCells);
    }
}
