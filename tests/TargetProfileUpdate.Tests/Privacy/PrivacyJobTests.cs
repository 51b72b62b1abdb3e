using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Privacy;

/// <summary>Job status: the request on the wire, Target's answer as a typed outcome, polling on a fake clock, rehydration by id.</summary>
public sealed class PrivacyJobTests
{
    [Fact]
    public async Task GetStatusAsync_SendsTheDocumentedRequest()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        await client.GetJob("6fc09b53-c24f-4a6c-9ca2-c6076b0842b6").GetStatusAsync();

        var get = service.Requests.Single(r => r.Method == "GET");
        Assert.Equal(FakePrivacyService.JobsUrl + "/6fc09b53-c24f-4a6c-9ca2-c6076b0842b6", get.Url);
        Assert.Equal("Bearer " + service.ImsToken, get.Headers["authorization"]);
        Assert.Equal(FakePrivacyService.ClientId, get.Headers["x-api-key"]);
        Assert.Equal(FakePrivacyService.OrgId, get.Headers["x-gw-ims-org-id"]);
        Assert.Empty(get.Body);
    }

    [Theory]
    [InlineData("complete", "complete", "Success", PrivacyJobState.Complete, PrivacyTargetOutcome.Complete)]
    [InlineData("complete", "complete", "user context not found", PrivacyJobState.Complete, PrivacyTargetOutcome.NotFound)]
    [InlineData("complete", "error", "user context not found", PrivacyJobState.Complete, PrivacyTargetOutcome.NotFound)]
    [InlineData("complete", "complete", "company context not applicable", PrivacyJobState.Complete, PrivacyTargetOutcome.NotApplicable)]
    [InlineData("error", "error", "internal failure", PrivacyJobState.Error, PrivacyTargetOutcome.Error)]
    [InlineData("processing", "processing", "", PrivacyJobState.Processing, PrivacyTargetOutcome.Pending)]
    [InlineData("submitted", null, null, PrivacyJobState.Submitted, PrivacyTargetOutcome.Pending)]
    public async Task GetJobStatusAsync_SurfacesTargetsAnswerAsATypedOutcome(string status, string? targetStatus, string? message, PrivacyJobState state, PrivacyTargetOutcome outcome)
    {
        var service = new FakePrivacyService { Status = id => FakePrivacyService.StatusJson(id, status, targetStatus, message) };
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var result = await client.GetJobStatusAsync("job-9");

        Assert.Equal("job-9", result.JobId);
        Assert.Equal(state, result.State);
        Assert.Equal(outcome, result.TargetOutcome);
        Assert.Equal(status, result.StatusText);
        Assert.Equal(string.IsNullOrEmpty(message) ? null : message, string.IsNullOrEmpty(result.TargetMessage) ? null : result.TargetMessage);
        Assert.Equal(PrivacyAction.Delete, result.Action);
        Assert.Equal(state is PrivacyJobState.Complete or PrivacyJobState.Error, result.IsFinal);
    }

    [Fact]
    public async Task GetJobStatusAsync_OfAnAccessJob_NamesTheAttributesButKeepsNoValue()
    {
        var service = new FakePrivacyService
        {
            Status = id => FakePrivacyService.StatusJson(id, "complete", "complete", "Success", "access",
                """{"attributes":{"segment":{"value":"Platinum Card Holder"},"loyalty":{"value":"gold"}}}"""),
        };
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var result = await client.GetJobStatusAsync("job-1");

        Assert.Equal(["segment", "loyalty"], result.AttributeNames);
        Assert.Equal(PrivacyAction.Access, result.Action);
        Assert.DoesNotContain(PersonalData.Value, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJobStatusAsync_WhenTargetsMessageEchoesTheId_MasksIt()
    {
        var service = new FakePrivacyService
        {
            Status = id => FakePrivacyService.StatusJson(id, "complete", "complete", "no profile for " + PersonalData.Id + " found", userId: PersonalData.Id),
        };
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var result = await client.GetJobStatusAsync("job-1");

        Assert.Equal("no profile for *** found", result.TargetMessage);
    }

    [Fact]
    public async Task GetJobStatusAsync_OfAnUnknownJob_ThrowsWithAHintAndNoBody()
    {
        var service = new FakePrivacyService { Status = _ => null };
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.GetJobStatusAsync("nope/../x"));

        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("does not know the job", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ResponseBody);
        Assert.Equal(FakePrivacyService.JobsUrl + "/nope%2F..%2Fx", service.Requests.Single(r => r.Method == "GET").Url);
    }

    [Fact]
    public async Task WaitForCompletionAsync_PollsOnTheFakeClockUntilTheJobIsComplete()
    {
        var time = new TimerWatchingTimeProvider();
        int polls = 0;
        var service = new FakePrivacyService
        {
            Status = id => Interlocked.Increment(ref polls) < 3
                ? FakePrivacyService.StatusJson(id, "processing", "processing", "")
                : FakePrivacyService.StatusJson(id, "complete", "complete", "Success"),
        };
        await using var provider = service.CreateProvider(time: time);
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var job = (await client.RequestDeletionAsync([ProfileId.FromPcId("a")], "gdpr")).Jobs[0];

        var wait = job.WaitForCompletionAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        await TestClients.AdvanceUntilAsync(time, () => wait.IsCompleted, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        var status = await wait;

        Assert.Equal(PrivacyJobState.Complete, status.State);
        Assert.Equal(3, polls);
        Assert.True(job.HasCompleted);
        Assert.Same(status, job.Status);
    }

    [Fact]
    public async Task WaitForCompletionAsync_WithAPollIntervalUnderOneSecond_Throws()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var job = provider.GetRequiredService<IProfilePrivacyClient>().GetJob("job-1");

        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = job.WaitForCompletionAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None); });
    }

    [Fact]
    public async Task GetJob_InAnotherContainer_FromTheIdAlone_GivesTheSameStatus()
    {
        var service = new FakePrivacyService { Status = id => FakePrivacyService.StatusJson(id, "complete", "complete", "user context not found") };
        string jobId;
        PrivacyJobStatus first;
        await using (var provider = service.CreateProvider())
        {
            var job = await provider.GetRequiredService<IProfilePrivacyClient>().RequestDeletionAsync(ProfileId.FromPcId("a"), "gdpr");
            jobId = job.Id;
            first = await job.GetStatusAsync();
        }

        await using var other = service.CreateProvider();
        var again = await other.GetRequiredService<IProfilePrivacyClient>().GetJob(jobId).GetStatusAsync();

        Assert.Equal((first.JobId, first.State, first.TargetOutcome, first.TargetMessage), (again.JobId, again.State, again.TargetOutcome, again.TargetMessage));
    }
}
