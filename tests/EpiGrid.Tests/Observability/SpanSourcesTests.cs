using System.Diagnostics;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Observability;

/// <summary>
/// With no span recorded (no exporter, no sampler set: the test run's hosts), no one listens to Npgsql's and Marten's
/// trace sources, so Npgsql does not write each batch's text into a span that is dropped; Orleans' sources are still
/// listened to, and a request's trace id still reaches its events (CorrelationTests).
/// </summary>
public sealed class SpanSourcesTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task Without_recorded_spans_only_the_sources_that_carry_the_trace_id_are_listened_to()
    {
        // Both hosts are up and have served a request through a grain and the store.
        const string cell = "330782-001-032";
        await app.RegisterCell(cell);

        using var npgsql = new ActivitySource("Npgsql");
        using var marten = new ActivitySource("Marten");
        using var orleans = new ActivitySource("Microsoft.Orleans.Runtime");
        npgsql.HasListeners().ShouldBeFalse("Npgsql builds a batch's text for a span that no one records");
        marten.HasListeners().ShouldBeFalse();
        orleans.HasListeners().ShouldBeTrue("grain calls carry the request's trace id");
    }
}
