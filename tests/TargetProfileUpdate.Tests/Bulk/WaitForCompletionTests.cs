using Microsoft.Extensions.Time.Testing;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class WaitForCompletionTests
{
    private static readonly BulkBatch Batch = new("b1", new Uri("https://mboxedge1.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=b1"), 0, 10, 100, BulkApiVersion.V2);

    private sealed class ScriptedClient(params BulkBatchState[] states) : IBulkProfileUpdateClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<BulkUploadResult> UploadAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<BulkBatchStatus> GetStatusAsync(BulkBatch batch, CancellationToken cancellationToken = default)
        {
            var state = states[Math.Min(Calls, states.Length - 1)];
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new BulkBatchStatus(batch.BatchId, state, batchSize: 10));
        }
    }

    // The poll after a delay runs on the thread pool: wait until it has started its next delay before moving the clock
    // (the bound only guards against a hang).
    private static async Task DelayStartedAsync(SignalingTimeProvider time) =>
        Assert.True(await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30)), "no delay was started");

    private sealed class SignalingTimeProvider : FakeTimeProvider
    {
        public SemaphoreSlim TimerCreated { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.Release();
            return timer;
        }
    }

    [Fact]
    public async Task WaitForCompletion_PollsOncePerIntervalUntilComplete()
    {
        var time = new SignalingTimeProvider();
        var client = new ScriptedClient(BulkBatchState.Incomplete, BulkBatchState.Unknown, BulkBatchState.Complete);

        var wait = BulkProfileUpdateClientExtensions.WaitForCompletionAsync(client, Batch, TimeSpan.FromSeconds(10), time, CancellationToken.None);

        await DelayStartedAsync(time);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, client.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        await DelayStartedAsync(time);
        Assert.Equal(2, client.Calls);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));
        var status = await wait;

        Assert.Equal(3, client.Calls);
        Assert.Equal(BulkBatchState.Complete, status.State);
    }

    [Fact]
    public async Task WaitForCompletion_StopsAtStuck()
    {
        var time = new SignalingTimeProvider();
        var client = new ScriptedClient(BulkBatchState.Incomplete, BulkBatchState.Stuck);

        var wait = BulkProfileUpdateClientExtensions.WaitForCompletionAsync(client, Batch, null, time, CancellationToken.None);
        await DelayStartedAsync(time);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(BulkBatchState.Stuck, (await wait).State);
        Assert.Equal(2, client.Calls);
    }

    [Fact]
    public async Task WaitForCompletion_Canceled_StopsPolling()
    {
        var time = new SignalingTimeProvider();
        var client = new ScriptedClient(BulkBatchState.Incomplete);
        using var cts = new CancellationTokenSource();

        var wait = BulkProfileUpdateClientExtensions.WaitForCompletionAsync(client, Batch, TimeSpan.FromSeconds(5), time, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, client.Calls);
    }

    [Fact]
    public async Task WaitForCompletion_IntervalBelowOneSecond_IsRefusedBeforeAnyPoll()
    {
        var client = new ScriptedClient(BulkBatchState.Complete);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.WaitForCompletionAsync(Batch, TimeSpan.FromMilliseconds(500)));

        Assert.Equal("pollInterval", ex.ParamName);
        Assert.Equal(0, client.Calls);
    }
}
