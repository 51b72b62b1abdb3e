using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Diagnostics;

public sealed class TelemetryTests
{
    private const string Id = PersonalData.Id;
    private const string Token = PersonalData.Token;

    private static ProfileUpdate Update() => PersonalData.Update();

    private static (IProfileUpdateClient Client, ServiceProvider Services) Client(RecordingHandler handler, Action<TargetProfileUpdateOptions>? configure = null)
    {
        var (client, _, services) = TestClients.Create(
            o =>
            {
                o.AuthorizationToken = Token;
                o.Resilience.BaseDelay = o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(1);
                configure?.Invoke(o);
            },
            handler,
            services: s => s.AddMetrics());
        return (client, services);
    }

    [Fact]
    public async Task UpdateAsync_EmitsOneUpdateActivityWithAChildPerAttempt_AndNoPersonalData()
    {
        using var root = new Activity("test-root").Start();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "TargetProfileUpdate",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == root.TraceId)
                {
                    lock (activities)
                    {
                        activities.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var handler = new RecordingHandler().Then(RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy")).Then(RecordingHandler.Ok());

        var (client, services) = Client(handler);
        await using var _ = services;

        await client.UpdateAsync(Update());

        var update = Assert.Single(activities, a => a.OperationName == "TargetProfileUpdate.Update");
        var attempts = activities.Where(a => a.OperationName == "TargetProfileUpdate.Attempt").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal("GET", update.GetTagItem("http.request.method"));
        Assert.Equal("accepted", update.GetTagItem("target.profile_update.outcome"));
        Assert.Equal(2, update.GetTagItem("target.profile_update.attempts"));
        Assert.Equal("<=1KB", update.GetTagItem("target.profile_update.size_bucket"));
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(update.SpanId, a.ParentSpanId));
        Assert.Equal(503, attempts[0].GetTagItem("http.response.status_code"));
        Assert.Equal(200, attempts[1].GetTagItem("http.response.status_code"));
        PersonalData.AssertAbsentFrom(activities.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value).Append(a.DisplayName).Append(a.StatusDescription ?? string.Empty)));
    }

    [Fact]
    public async Task UpdateAsync_RecordsMetricsThroughTheContainersMeterFactory()
    {
        var handler = new RecordingHandler()
            .Then(RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy"))
            .Then(RecordingHandler.Ok())
            .Then(RecordingHandler.Text(HttpStatusCode.BadRequest, "bad " + Id));
        var (client, services) = Client(handler, o => o.Quota.PermitLimit = 3);
        await using var _ = services;
        using var metrics = new SdkMetrics(services);

        await client.UpdateAsync(Update());
        await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));
        await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update()));

        var measurements = metrics.Measurements;
        Assert.Same(services.GetRequiredService<IMeterFactory>(), metrics.Telemetry.Meter.Scope);
        Assert.Equal("TargetProfileUpdate", metrics.Telemetry.Meter.Name);
        Assert.Contains(("target.profile_update.sent", 1, "http.request.method=GET"), measurements);
        Assert.Contains(("target.profile_update.retried", 1, "endpoint=update"), measurements);
        Assert.Contains(("target.profile_update.failed", 1, "reason=http_error"), measurements);
        Assert.Contains(("target.profile_update.failed", 1, "reason=rate_limited"), measurements);
        Assert.Contains(("target.profile_update.rate_limited", 1, "source=client"), measurements);
        Assert.Equal(3, measurements.Count(m => m.Instrument == "target.profile_update.request.size"));
        Assert.Equal(3, measurements.Count(m => m.Instrument == "target.profile_update.duration"));
        PersonalData.AssertAbsentFrom(measurements.Select(m => m.Tags));
    }
}
