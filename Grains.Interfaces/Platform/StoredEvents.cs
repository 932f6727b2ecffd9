using EpiGrid.Alerts;
using EpiGrid.People;
using EpiGrid.Resumption;
using EpiGrid.Audit;
using EpiGrid.Cells;
using EpiGrid.Counties;

namespace EpiGrid.Platform;

/// <summary>
/// The name each event type is stored under: part of the history's format, never renamed. The event store, replay,
/// audit reads and the bench all take names from here.
/// </summary>
public static class StoredEvents
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(CellRegistered), "cell_registered"),
        (typeof(CellDetailsChanged), "cell_details_changed"),
        (typeof(CaseReported), "case_reported"),
        (typeof(CaseStatusChanged), "case_status_changed"),
        (typeof(TravellerArrived), "traveller_arrived"),
        (typeof(CountyColourChanged), "county_colour_changed"),
        (typeof(AuditQueried), "audit_queried"),
        (typeof(PersonalDataViewed), "personal_data_viewed"),
        (typeof(ExportCompleted), "export_completed"),
        (typeof(HealthCodeViewed), "health_code_viewed"),
        (typeof(AlertRaised), "alert_raised"),
        (typeof(AlertDelivered), "alert_delivered"),
        (typeof(AlertAcknowledged), "alert_acknowledged"),
        (typeof(AlertEscalated), "alert_escalated"),
        (typeof(ArrivalReported), "arrival_reported"),
        (typeof(ArrivalCorroborated), "arrival_corroborated"),
        (typeof(CheckInRecorded), "check_in_recorded"),
        (typeof(CheckInMissed), "check_in_missed"),
        (typeof(HealthCodeChanged), "health_code_changed"),
        (typeof(ArrivalReportNotApplied), "arrival_report_not_applied"),
        (typeof(EnterpriseRegistered), "enterprise_registered"),
        (typeof(EnterpriseDetailsChanged), "enterprise_details_changed"),
        (typeof(ReadingsRecorded), "readings_recorded"),
        (typeof(StaffReported), "staff_reported"),
        (typeof(CasePersonLinked), "case_person_linked"),
        (typeof(PersonCaseRecorded), "person_case_recorded"),
        (typeof(ContactRecorded), "contact_recorded"),
        (typeof(StayRecorded), "stay_recorded"),
        (typeof(PlaceRiskNoted), "place_risk_noted"),
        (typeof(SelfDeclared), "self_declared"),
        (typeof(SelfDeclarationDisputed), "self_declaration_disputed"),
        (typeof(CellControlChanged), "cell_control_changed"),
        (typeof(VisitRecorded), "visit_recorded"),
    ];

    static readonly Dictionary<Type, string> ByType = All.ToDictionary(e => e.Type, e => e.Name);

    /// <summary>The stored name of an event type.</summary>
    public static string NameOf<T>() where T : IEpiEvent => ByType[typeof(T)];

    /// <summary>The stored name of an event type (a type that is not stored throws).</summary>
    public static string NameOf(Type type) => ByType[type];

    /// <summary>The events a county's view is folded from (a cell's cases, travellers and control).</summary>
    public static readonly IReadOnlyList<string> CountyInputs =
        [NameOf<CaseReported>(), NameOf<CaseStatusChanged>(), NameOf<TravellerArrived>(), NameOf<CellControlChanged>()];
}
