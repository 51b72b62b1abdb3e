using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>
/// Issue 19 items 5 and 6: the client-side bulk/admin limiter (Adobe's 50 calls per minute) refused where it should
/// wait, so an upload of more than 50 batches failed at batch 51 and <c>WaitForCompletionAsync</c> at the documented
/// 1 s minimum threw after 50 polls; and status polls inherited the upload's 10-minute attempt and 30-minute total
/// timeouts, so a slow status server hung them.
/// </summary>
public sealed class BulkLimiterRegressionTests
{
    private const string StatusUrl = "https://mboxedge45.tt.omtrdc.net/m2/demo/v2/profile/batchStatus?batchId=demo-1";

    private static HttpResponseMessage Xml(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/xml") };

    private static HttpResponseMessage Accepted() =>
        Xml("<response><success>true</success><batchStatus>" + StatusUrl + "</batchStatus><message>Batch submitted for processing</message></response>");

    private static HttpResponseMessage Status(string state) =>
        Xml("<response><batchId>demo-1</batchId><status>" + state + "</status><batchSize>1</batchSize></response>");

    private static TimerWatchingTimeProvider Clock() => new(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Upload_OfSixtyBatches_WaitsForTheBulkLimitersNextPermit_InsteadOfFailingAtBatch51()
    {
        var time = Clock();
        var handler = new RecordingHandler().Always(Accepted);
        var (_, _, services) = TestClients.Create(handler: handler, timeProvider: time);
        var client = services.GetRequiredService<IBulkProfileUpdateClient>();
        var rows = Enumerable.Range(0, 60).Select(i => ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i));

        var upload = client.UploadAsync(rows, new BulkUploadOptions { MaxRowsPerBatch = 1 });
        await TestClients.AdvanceUntilAsync(time, () => upload.IsCompleted, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(3));
        var result = await upload;

        Assert.Equal(60, result.Batches.Count);
        Assert.Equal(60, handler.Requests.Count);
    }

    [Fact]
    public async Task WaitForCompletion_PollingEverySecondForSeventyPolls_DoesNotFailOnOurOwnLimiter()
    {
        var time = Clock();
        int polls = 0;
        var handler = new RecordingHandler().Always(() => Status(Interlocked.Increment(ref polls) < 70 ? "incomplete" : "complete"));
        var (_, _, services) = TestClients.Create(handler: handler, timeProvider: time);
        var client = services.GetRequiredService<IBulkProfileUpdateClient>();
        var batch = new BulkBatch("demo-1", new Uri(StatusUrl), 0, 1, 10, BulkApiVersion.V2);

        var wait = BulkProfileUpdateClientExtensions.WaitForCompletionAsync(client, batch, TimeSpan.FromSeconds(1), time, CancellationToken.None);
        await TestClients.AdvanceUntilAsync(time, () => wait.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
        var status = await wait;

        Assert.Equal(BulkBatchState.Complete, status.State);
        Assert.Equal(70, handler.Requests.Count);
    }

    [Fact]
    public async Task StatusPoll_AgainstASlowStatusServer_TimesOutAfterTheShortStatusTimeouts_NotTheUploadsMinutes()
    {
        var time = Clock();
        var hanging = new RecordingHandler().Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct); // hangs until canceled (a stuck server): not a sleep
            return Status("complete");
        });
        var (_, _, services) = TestClients.Create(
            o =>
            {
                o.BulkStatusResilience.MaxRetryAttempts = 0;
                o.BulkStatusResilience.AttemptTimeout = TimeSpan.FromSeconds(5);
                o.BulkStatusResilience.TotalTimeout = TimeSpan.FromSeconds(5);
            },
            handler: hanging,
            timeProvider: time);
        var client = services.GetRequiredService<IBulkProfileUpdateClient>();
        var batch = new BulkBatch("demo-1", new Uri(StatusUrl), 0, 1, 10, BulkApiVersion.V2);

        var poll = client.GetStatusAsync(batch);
        await TestClients.AdvanceUntilAsync(time, () => poll.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

        Assert.True(poll.IsCompleted, "The status poll still hung 30 s later (it used the upload's 10-minute attempt timeout).");
        await Assert.ThrowsAnyAsync<ProfileApiException>(() => poll);
    }

    [Fact]
    public void BulkStatusResilience_Defaults_AreShortAndDocumented()
    {
        var o = new TargetProfileUpdateOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), o.BulkStatusResilience.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), o.BulkStatusResilience.TotalTimeout);
    }
}
