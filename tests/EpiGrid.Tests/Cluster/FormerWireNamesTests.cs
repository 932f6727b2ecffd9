using System.Reflection;
using EpiGrid.Alerts;
using EpiGrid.Audit;
using EpiGrid.Cells;
using EpiGrid.Cluster;
using EpiGrid.Counties;
using EpiGrid.People;
using EpiGrid.Platform;
using EpiGrid.Provinces;
using EpiGrid.Resumption;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;

namespace EpiGrid.Tests.Cluster;

/// <summary>
/// A rolling deploy across the move of Grains.Interfaces into feature folders: the names below are those the previous
/// version writes on the wire for the calls whose interface or parameter types moved (read from its build). This version
/// writes the same names and reads them as the same calls.
/// </summary>
public sealed class FormerWireNamesTests
{
    public static TheoryData<Type, string, string> Calls => new()
    {
        { typeof(ICellGrain), nameof(ICellGrain.Execute), Call("EpiGrid.Contracts.ICellGrain", "A05D8E0F") },
        { typeof(ICellGrain), nameof(ICellGrain.GetView), Call("EpiGrid.Contracts.ICellGrain", "75E37E62") },
        { typeof(ICellGrain), nameof(ICellGrain.IsRegistered), Call("EpiGrid.Contracts.ICellGrain", "CA67AEE3") },
        { typeof(ICountyGrain), nameof(ICountyGrain.GetView), Call("EpiGrid.Contracts.ICountyGrain", "05EA6963") },
        { typeof(ICountyGrain), nameof(ICountyGrain.Reconcile), Call("EpiGrid.Contracts.ICountyGrain", "B1AA0314") },
        { typeof(ICountyGrain), nameof(ICountyGrain.Verify), Call("EpiGrid.Contracts.ICountyGrain", "A0FD69C2") },
        { typeof(IProvinceGrain), nameof(IProvinceGrain.GetView), Call("EpiGrid.Contracts.IProvinceGrain", "B2C918D4") },
        { typeof(IPushObserver), nameof(IPushObserver.Push), Call("EpiGrid.Contracts.IPushObserver", "A3FCE4F2") },
        { typeof(IPushHubGrain), nameof(IPushHubGrain.Subscribe), Call("EpiGrid.Contracts.IPushHubGrain", "CB859D30") },
        { typeof(IPushHubGrain), nameof(IPushHubGrain.WebHostCount), Call("EpiGrid.Contracts.IPushHubGrain", "0DAC8FB5") },
        { typeof(IPushHubGrain), nameof(IPushHubGrain.Publish), Call("EpiGrid.Contracts.IPushHubGrain", "CBF0E98B") },
        { typeof(IRegistersGrain), nameof(IRegistersGrain.Rebuild), Call("EpiGrid.Contracts.IRegistersGrain", "4515F1D9") },
        { typeof(IResumptionGrain), nameof(IResumptionGrain.Register), Call("EpiGrid.Resumption.IResumptionGrain", "2ED8D9E9") },
        { typeof(IResumptionGrain), nameof(IResumptionGrain.Record), Call("EpiGrid.Resumption.IResumptionGrain", "01E45799") },
        { typeof(IResumptionGrain), nameof(IResumptionGrain.ReportStaff), Call("EpiGrid.Resumption.IResumptionGrain", "474547E4") },
        { typeof(IPlaceScreeningGrain), nameof(IPlaceScreeningGrain.ColoursRecorded), Call("EpiGrid.People.IPlaceScreeningGrain", "F7B02F0F") },
        { typeof(IHistoryGrain), nameof(IHistoryGrain.WhatIf), Call("EpiGrid.Audit.IHistoryGrain", "17A5C629") },
        { typeof(IQueryRecordGrain), nameof(IQueryRecordGrain.Record), Call("EpiGrid.Audit.IQueryRecordGrain", "178256D5") },
        { typeof(IAlertLedgerGrain), nameof(IAlertLedgerGrain.Acknowledge), Call("EpiGrid.Alerts.IAlertLedgerGrain", "A3FAEA24") },
    };

    static string Call(string grain, string id) => $"(\"inv\",[GrainRef],[{grain},EpiGrid.Grains.Interfaces],\"{id}\")";

    readonly TypeConverter converter = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(ICellGrain).Assembly))
        .AddFormerWireNames()
        .BuildServiceProvider().GetRequiredService<TypeConverter>();

    [Theory, MemberData(nameof(Calls))]
    public void A_call_is_written_and_read_under_the_name_the_previous_version_uses(Type grain, string method, string former)
    {
        converter.TryParse(former, out var invokable).ShouldBeTrue();
        var id = grain.GetMethod(method)!.GetCustomAttribute<AliasAttribute>()!.Alias;
        invokable!.GetCustomAttributes<CompoundTypeAliasAttribute>().Any(a => a.Components is [.., Type g, string i] && g == grain && i == id).ShouldBeTrue();
        converter.Format(invokable).ShouldBe(former);
    }

    [Theory]
    [InlineData(typeof(ICellGrain)), InlineData(typeof(ICountyGrain)), InlineData(typeof(IProvinceGrain))]
    [InlineData(typeof(IPushObserver)), InlineData(typeof(IPushHubGrain)), InlineData(typeof(IRegistersGrain))]
    public void A_moved_interface_keeps_its_grain_interface_type(Type grain) =>
        new GrainInterfaceTypeResolver([], converter).GetGrainInterfaceType(grain).ToString().ShouldBe("EpiGrid.Contracts." + grain.Name);
}
