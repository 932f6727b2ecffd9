using EpiGrid.WebHost;
using EpiGrid.WebHost.Alerts;
using EpiGrid.WebHost.Api;
using EpiGrid.WebHost.Audit;
using EpiGrid.WebHost.Cluster;
using EpiGrid.WebHost.Observability;
using EpiGrid.WebHost.Web;
using Scalar.AspNetCore;
using EpiGrid.Platform;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    builder.WebHost.UseUrls("http://127.0.0.1:8080");

builder.AddEpiGridOrleansClient();
builder.Services.AddEpiGridDomain();
builder.Services.AddEpiGridHttp();
builder.Services.AddEpiGridLimits();
builder.Services.AddEpiGridAuth();
builder.Services.AddEpiGridTransport();
builder.Services.AddSingleton<CellCommandSender>();
builder.Services.AddIdentityHashing();
builder.Services.AddImportJobs();
builder.Services.AddEpiGridAudit();
builder.AddEpiGridPush();
builder.AddEpiGridTelemetry();
builder.AddEpiGridHealth();
builder.AddEpiGridWebApp();

builder.Services.AddOptions<EpiGrid.WebHost.Api.RtOptions>().BindConfiguration(EpiGrid.WebHost.Api.RtOptions.Section);
var app = builder.Build();
app.UseEpiGridTransport();
app.UseEpiGridErrors();
app.UseAdminDashboardCookie();
app.UseAuthentication();
app.UseEpiGridLimits();
app.UseAuthorization();

app.MapOpenApi();
app.MapScalarApiReference(o => o.DisableDefaultFonts()); // nothing fetched from other origins
app.MapHealthApi();

var api = app.MapGroup("/api/v1").RequireAuthorization().RequireCluster().ProducesPipelineProblems();
api.MapCellsApi().MapCasesApi().MapTravellersApi().MapBatchApi().MapCountiesApi().MapProvinceApi().MapAuditApi();
app.MapEpiGridPush(api);
api.MapPersonsApi().MapVisitsApi().MapImportsApi().MapContactsApi().MapChainsApi().MapLineListApi().MapEpiCurveApi().MapRtApi().MapColourHistoryApi().MapItineraryApi().MapDeclarationsApi().MapCodeScansApi();
api.MapResumptionApi();
api.MapClusterApi();
api.MapRegistersApi();
app.MapEpiGridTelemetry();
app.MapAdminDashboard();
app.MapEpiGridWebApp(api);
if (app.IssuesDevTokens())
    app.MapGroup("/api/v1").ProducesPipelineProblems().MapDevTokensApi();

// Fail at start, not on the first request, when the geography file is missing or malformed.
app.Services.GetRequiredService<Province>();
app.Run();

public partial class Program;
