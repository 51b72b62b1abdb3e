using TargetProfileUpdate.Testing;

namespace TargetProfileUpdate.Tests.Update.Batching;

public sealed class UpdateManyTests
{
    private static IEnumerable<ProfileUpdate> Updates(int count, Action<int>? pulled = null)
    {
        for (int i = 0; i < count; i++)
        {
            pulled?.Invoke(i);
            yield return ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i);
        }
    }

    private static async IAsyncEnumerable<ProfileUpdate> UpdatesAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i);
        }
    }

    [Fact]
    public async Task UpdateManyAsync_AllAccepted_CountsEveryUpdate()
    {
        var fake = new FakeProfileUpdateClient();

        var result = await fake.UpdateManyAsync(Updates(1000));

        Assert.Equal(1000, result.Submitted);
        Assert.Equal(1000, result.Accepted);
        Assert.Equal(0, result.Failed + result.NotSent);
        Assert.Empty(result.Failures);
        Assert.Equal(1000, fake.Updates.Count);
    }

    [Fact]
    public async Task UpdateManyAsync_AsyncSource_IsSentToo()
    {
        var fake = new FakeProfileUpdateClient();

        var result = await fake.UpdateManyAsync(UpdatesAsync(250), new ProfileBatchOptions { MaxConcurrency = 3 });

        Assert.Equal(250, result.Accepted);
        Assert.Equal(250, fake.Updates.Select(u => u.Id).Distinct().Count());
    }

    [Fact]
    public async Task UpdateManyAsync_Failures_AreReportedWithIndexAndProfileAndTheRestContinues()
    {
        var error = new ProfileApiException("HTTP 400", 400, null, 1, isTransient: false);
        var fake = new FakeProfileUpdateClient().FailFor(ProfileId.FromThirdPartyId("crm-3"), error).FailFor(ProfileId.FromThirdPartyId("crm-7"), error);

        var result = await fake.UpdateManyAsync(Updates(10));

        Assert.Equal(10, result.Submitted);
        Assert.Equal(8, result.Accepted);
        Assert.Equal(2, result.Failed);
        Assert.Equal(0, result.NotSent);
        Assert.Equal([3L, 7L], result.Failures.Select(f => f.Index));
        Assert.Equal(ProfileId.FromThirdPartyId("crm-3"), result.Failures[0].ProfileId);
        Assert.Same(error, result.Failures[0].Exception);
    }

    [Fact]
    public async Task UpdateManyAsync_NullOrEmptyUpdateInSource_IsAFailureNotALoss()
    {
        var updates = new[] { ProfileUpdate.ForPcId("a").Set("x", "1"), null!, ProfileUpdate.ForPcId("c") };

        var result = await new FakeProfileUpdateClient().UpdateManyAsync(updates);

        Assert.Equal(3, result.Submitted);
        Assert.Equal(1, result.Accepted);
        Assert.Equal(2, result.Failed);
        Assert.IsType<ArgumentNullException>(result.Failures[0].Exception);
        Assert.Null(result.Failures[0].ProfileId);
        Assert.IsType<ArgumentException>(result.Failures[1].Exception);
    }

    [Fact]
    public async Task UpdateManyAsync_StopOnFirstFailure_StopsTakingFromTheSource()
    {
        int pulled = 0;
        var fake = new FakeProfileUpdateClient().FailFor(ProfileId.FromThirdPartyId("crm-5"), new InvalidOperationException("boom"));

        var result = await fake.UpdateManyAsync(Updates(100, _ => pulled++), new ProfileBatchOptions { MaxConcurrency = 1, StopOnFirstFailure = true });

        Assert.Equal(6, pulled);
        Assert.Equal(6, result.Submitted);
        Assert.Equal(5, result.Accepted);
        Assert.Equal(1, result.Failed);
        Assert.Equal(result.Submitted, result.Accepted + result.Failed + result.NotSent);
    }

    [Fact]
    public async Task UpdateManyAsync_RunsAtMostMaxConcurrencyAndReadsNoFurtherAhead()
    {
        int pulled = 0;
        var client = new GatedClient();
        var task = client.UpdateManyAsync(Updates(1000, _ => Interlocked.Increment(ref pulled)), new ProfileBatchOptions { MaxConcurrency = 8 });

        await client.WaitForInFlightAsync(8);
        Assert.Equal(8, Volatile.Read(ref pulled));
        client.Open();
        var result = await task;

        Assert.Equal(8, client.MaxInFlight);
        Assert.Equal(1000, result.Accepted);
    }

    [Fact]
    public async Task UpdateManyAsync_Canceled_ThrowsBatchCanceledAccountingForEveryUpdate()
    {
        var client = new GatedClient();
        using var cts = new CancellationTokenSource();
        var task = client.UpdateManyAsync(Updates(1000), new ProfileBatchOptions { MaxConcurrency = 4 }, cts.Token);
        await client.WaitForInFlightAsync(4);

        cts.Cancel();
        var ex = await Assert.ThrowsAsync<ProfileBatchCanceledException>(() => task);

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Equal(cts.Token, ex.CancellationToken);
        var partial = ex.PartialResult;
        Assert.Equal(4, partial.Submitted);
        Assert.Equal(4, partial.NotSent);
        Assert.Equal(partial.Submitted, partial.Accepted + partial.Failed + partial.NotSent);
    }

    [Fact]
    public async Task UpdateManyAsync_SourceThrows_ReportsTheSourcesExceptionWithThePartialResult()
    {
        static IEnumerable<ProfileUpdate> Broken()
        {
            yield return ProfileUpdate.ForPcId("a").Set("x", "1");
            throw new InvalidDataException("bad row");
        }

        var ex = await Assert.ThrowsAsync<ProfileBatchException>(() => new FakeProfileUpdateClient().UpdateManyAsync(Broken()));

        Assert.IsType<InvalidDataException>(ex.InnerException);
        Assert.Equal(1, ex.PartialResult.Submitted);
        Assert.Equal(1, ex.PartialResult.Accepted);
    }

    [Fact]
    public async Task UpdateManyAsync_Progress_IsReportedAtTheIntervalAndAtTheEnd()
    {
        var reports = new List<ProfileBatchProgress>();
        var progress = new SyncProgress(reports);

        await new FakeProfileUpdateClient().UpdateManyAsync(Updates(95), new ProfileBatchOptions { MaxConcurrency = 1, Progress = progress, ProgressInterval = 10 });

        Assert.Equal(10, reports.Count);
        Assert.Equal(new ProfileBatchProgress(10, 10, 0), reports[0]);
        Assert.Equal(new ProfileBatchProgress(95, 95, 0), reports[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public async Task UpdateManyAsync_ConcurrencyOutOfRange_Throws(int concurrency)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new FakeProfileUpdateClient().UpdateManyAsync(Updates(1), new ProfileBatchOptions { MaxConcurrency = concurrency }));
    }

    [Fact]
    public void ProfileBatchResult_CountsThatDoNotAddUp_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ProfileBatchResult(10, 5, [], [1, 2]));
        Assert.Throws<ArgumentException>(() => new ProfileBatchResult(3, 1, [], [2, 1]));
        Assert.Throws<ArgumentException>(() => new ProfileBatchResult(3, 1, [], [1, 3]));
        Assert.Equal(2, new ProfileBatchResult(3, 1, [], [0, 2]).NotSent);
    }

    private sealed class SyncProgress(List<ProfileBatchProgress> reports) : IProgress<ProfileBatchProgress>
    {
        public void Report(ProfileBatchProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }

    /// <summary>Holds every update until opened, counting how many are in flight at once.</summary>
    private sealed class GatedClient : IProfileUpdateClient
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _maxInFlight;
        private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public void Open() => _gate.TrySetResult();

        /// <summary>Waits for the event of updates entering (no polling), bounded by 30 s so a broken test fails instead of hanging.</summary>
        public async Task WaitForInFlightAsync(int count)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var entered = Volatile.Read(ref _entered);
                if (Volatile.Read(ref _inFlight) >= count)
                {
                    return;
                }

                await entered.Task.WaitAsync(bound.Token);
            }
        }

        public async Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
        {
            int now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            Interlocked.Exchange(ref _entered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            try
            {
                await _gate.Task.WaitAsync(cancellationToken);
                return new ProfileUpdateResult("Request successfully submitted", HttpMethod.Get, 1, 100);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
