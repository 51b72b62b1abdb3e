using TargetProfileUpdate.Testing;

namespace TargetProfileUpdate.Testing.Tests;

public sealed class FakeBulkProfileUpdateClientTests
{
    private static async IAsyncEnumerable<ProfileUpdate> Rows(int count, Action<int>? afterRow = null)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return ProfileUpdate.ForThirdPartyId("crm-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set("n", i);
            afterRow?.Invoke(i);
        }
    }

    [Fact]
    public async Task UploadAsync_CutsAtMaxRowsPerBatch_AndRecordsEveryRowOnce()
    {
        var fake = new FakeBulkProfileUpdateClient();

        var result = await fake.UploadAsync(Rows(7), new BulkUploadOptions { MaxRowsPerBatch = 3 });

        Assert.Equal([3, 3, 1], result.Batches.Select(b => b.Rows));
        Assert.Equal([0L, 3L, 6L], result.Batches.Select(b => b.FirstIndex));
        Assert.Equal((7L, 7L, 0L), (result.Submitted, result.Sent, result.Rejected));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), fake.Rows.Select(r => r.Index));
        Assert.Equal(["fake-batch-1", "fake-batch-1", "fake-batch-1", "fake-batch-2", "fake-batch-2", "fake-batch-2", "fake-batch-3"], fake.Rows.Select(r => r.BatchId));
        Assert.Equal("6", fake.Rows[6].Attributes["n"]);
        Assert.Equal(result.Batches, fake.Batches);
    }

    [Fact]
    public async Task UploadAsync_RejectedRows_AreAccountedAndNeverRecordedAsSent()
    {
        var fake = new FakeBulkProfileUpdateClient();
        var rows = new[]
        {
            ProfileUpdate.ForThirdPartyId("a").Set("n", "1"),
            ProfileUpdate.ForThirdPartyId("b+c").Set("n", "2"),
            ProfileUpdate.ForThirdPartyId("d"),
            ProfileUpdate.ForPcId("e").Set("n", "3"),
            ProfileUpdate.ForThirdPartyId("f").Set("n", "4"),
        };

        var result = await fake.UploadAsync(rows.ToAsyncEnumerableForTests());

        Assert.Equal(result.Submitted, result.Sent + result.Rejected);
        Assert.Equal([1L, 2L, 3L], result.Rejections.Select(r => r.Index));
        Assert.Equal(["a", "f"], fake.Rows.Select(r => r.Id.Value));
    }

    [Fact]
    public async Task UploadAsync_SecondSubmissionRefused_ThrowsBulkUploadExceptionNamingTheFirstUnacceptedRow()
    {
        var refusal = new ProfileApiException("HTTP 400", statusCode: 400, responseBody: null, attempts: 1, isTransient: false);
        var fake = new FakeBulkProfileUpdateClient().RefuseBatch(2, refusal);

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => fake.UploadAsync(Rows(7), new BulkUploadOptions { MaxRowsPerBatch = 3 }));

        Assert.Equal(3, ex.FirstUnacceptedIndex);
        Assert.Equal(400, ex.StatusCode);
        Assert.Same(refusal, ex.InnerException);
        Assert.Equal((3L, 3L), (ex.PartialResult.Submitted, ex.PartialResult.Sent));
        Assert.Equal(3, fake.Rows.Count);
        Assert.Single(fake.Batches);
    }

    [Fact]
    public async Task RefuseNextBatches_RefusesThatManySubmissionsThenAccepts()
    {
        var fake = new FakeBulkProfileUpdateClient().RefuseNextBatches(1, new ProfileApiException("HTTP 503"));

        await Assert.ThrowsAsync<BulkUploadException>(() => fake.UploadAsync(Rows(2)));
        var result = await fake.UploadAsync(Rows(2));

        Assert.Equal(2, result.Sent);
        Assert.Equal("fake-batch-1", Assert.Single(result.Batches).BatchId);
    }

    [Fact]
    public async Task GetStatusAsync_DefaultCompleteStuckWhenScripted_AndSetStatusServesAnyState()
    {
        var fake = new FakeBulkProfileUpdateClient();
        var done = Assert.Single((await fake.UploadAsync(Rows(2))).Batches);
        fake.StickNextBatches(1);
        var stuck = Assert.Single((await fake.UploadAsync(Rows(3))).Batches);

        var doneStatus = await fake.GetStatusAsync(done);
        var stuckStatus = await fake.GetStatusAsync(stuck);
        fake.SetStatus(new BulkBatchStatus(done.BatchId, BulkBatchState.Incomplete, batchSize: 2, consumedCount: 1));
        var incomplete = await fake.GetStatusAsync(done);

        Assert.Equal((BulkBatchState.Complete, 2L, 2L), (doneStatus.State, doneStatus.BatchSize, doneStatus.SuccessfulUpdates));
        Assert.Equal((BulkBatchState.Stuck, 3L), (stuckStatus.State, stuckStatus.BatchSize));
        Assert.Equal(BulkBatchState.Incomplete, incomplete.State);
        Assert.Equal([done.BatchId, stuck.BatchId, done.BatchId], fake.StatusRequests);
    }

    [Fact]
    public async Task UploadAsync_CanceledMidway_ThrowsBulkUploadCanceledExceptionWithThePartialResult()
    {
        var fake = new FakeBulkProfileUpdateClient();
        using var cts = new CancellationTokenSource();

        var ex = await Assert.ThrowsAsync<BulkUploadCanceledException>(() => fake.UploadAsync(Rows(10, i => { if (i == 4) { cts.Cancel(); } }), new BulkUploadOptions { MaxRowsPerBatch = 2 }, cts.Token));

        Assert.Equal(ex.PartialResult.Sent, fake.Rows.Count);
        Assert.Equal(ex.PartialResult.Submitted, ex.PartialResult.Sent + ex.PartialResult.Rejected);
        Assert.Equal(ex.FirstUnacceptedIndex, ex.PartialResult.Submitted);
    }

    [Fact]
    public async Task Reset_ForgetsBatchesRowsStatusesAndScripts_AndNumbersSubmissionsFromOne()
    {
        var fake = new FakeBulkProfileUpdateClient().RefuseBatch(2, new ProfileApiException("before reset"));
        var old = Assert.Single((await fake.UploadAsync(Rows(1))).Batches);

        fake.Reset();
        fake.RefuseBatch(1, new ProfileApiException("after reset"));
        var refused = await Assert.ThrowsAsync<BulkUploadException>(() => fake.UploadAsync(Rows(1)));
        var result = await fake.UploadAsync(Rows(1));

        Assert.Equal("after reset", refused.InnerException!.Message);
        Assert.Equal("fake-batch-2", Assert.Single(result.Batches).BatchId);
        Assert.Single(fake.Rows);
        Assert.Equal(404, (await Assert.ThrowsAsync<ProfileApiException>(() => fake.GetStatusAsync(old))).StatusCode);
    }
}

internal static class AsyncEnumerableForTests
{
    public static async IAsyncEnumerable<T> ToAsyncEnumerableForTests<T>(this IEnumerable<T> source)
    {
        await Task.Yield();
        foreach (var item in source)
        {
            yield return item;
        }
    }
}
