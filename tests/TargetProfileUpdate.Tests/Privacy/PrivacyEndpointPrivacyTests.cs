using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Privacy;

/// <summary>The privacy endpoints join the privacy tests: no id, user key, attribute value or token in Trace logs, exception
/// text, activities or metrics, across success, failure and status reads.</summary>
public sealed class PrivacyEndpointPrivacyTests
{
    [Fact]
    public async Task PrivacyRequestsAndStatus_AcrossSuccessAndFailure_NoIdKeyValueOrTokenInLogsMessagesActivitiesOrMetrics()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "TargetProfileUpdate",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var logs = FakeLogs.Provider();
        var id = ProfileId.FromThirdPartyId(PersonalData.Id);
        string key = FakePrivacyService.ExpectedKey(id);
        var service = new FakePrivacyService
        {
            Status = job => FakePrivacyService.StatusJson(job, "complete", "complete", "user context not found for " + PersonalData.Id, "access",
                """{"attributes":{"segment":{"value":"Platinum Card Holder"}}}""", PersonalData.Id),
        };
        await using var provider = service.CreateProvider(logs: logs);
        using var metrics = new SdkMetrics(provider);
        var privacy = provider.GetRequiredService<IProfilePrivacyClient>();

        var job = await privacy.RequestDeletionAsync(id, PrivacyRegulation.Gdpr);
        var status = await job.GetStatusAsync();
        var access = await privacy.RequestAccessAsync(id, PrivacyRegulation.Gdpr);
        service.FailCreate = (3, HttpStatusCode.BadRequest);
        var failed = await Assert.ThrowsAsync<ProfileApiException>(() => privacy.RequestDeletionAsync([id], PrivacyRegulation.Gdpr));
        var suppressed = await Assert.ThrowsAsync<ProfileSuppressedException>(() => provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(PersonalData.Update()));

        Assert.Equal(PrivacyTargetOutcome.NotFound, status.TargetOutcome);
        Assert.Equal(ProfileApiFailureReason.HttpError, failed.Reason);
        Assert.Equal(ProfileApiFailureReason.Suppressed, suppressed.Reason);
        Assert.NotEmpty(logs.Collector.GetSnapshot());
        Assert.Contains(metrics.Measurements, m => m.Instrument == "target.privacy.jobs");
        string[] activityTexts;
        lock (activities)
        {
            Assert.Contains(activities, a => a.OperationName == "TargetProfileUpdate.PrivacyRequest");
            Assert.Contains(activities, a => a.OperationName == "TargetProfileUpdate.PrivacyJobs");
            Assert.Contains(activities, a => a.OperationName == "TargetProfileUpdate.PrivacyStatus");
            activityTexts = [.. activities.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value).Append(a.StatusDescription ?? string.Empty).Append(a.DisplayName))];
        }

        var texts = logs.Collector.Texts()
            .Concat(activityTexts)
            .Concat(metrics.Measurements.Select(m => m.Instrument + " " + m.Tags))
            .Append(failed.ToString()).Append(failed.ResponseBody ?? string.Empty)
            .Append(suppressed.ToString())
            .Append(job.ToString()).Append(status.ToString()).Append(status.TargetMessage ?? string.Empty).Append(access.ToString())
            .ToList();
        PersonalData.AssertAbsentFrom(texts);
        Assert.DoesNotContain(texts, t => t.Contains(key, StringComparison.Ordinal));
    }
}
