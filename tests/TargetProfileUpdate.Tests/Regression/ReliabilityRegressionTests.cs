using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Regression;

/// <summary>
/// Regression tests for the defects found when the SDK was tried as a hostile user would (issue 9). Each is named after
/// what broke and failed on 515ced7.
/// </summary>
public sealed class ReliabilityRegressionTests
{
    private static ProfileUpdate Update(int n = 0) => ProfileUpdate.ForThirdPartyId("crm-" + n).Set("n", n);

    private static ProfileUpdate Update(string id) => ProfileUpdate.ForThirdPartyId(id).Set("n", 1);

    /// <summary>A handler that records the fake clock's time of every request and answers true.</summary>
    private sealed class ClockHandler(TimeProvider time) : HttpMessageHandler
    {
        public ConcurrentQueue<DateTimeOffset> Times { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Times.Enqueue(time.GetUtcNow());
            return Task.FromResult(RecordingHandler.Ok());
        }
    }

    [Fact]
    public async Task Pacing_UnderConcurrency_DoesNotTripTheCircuitBreaker()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new ClockHandler(time);
        using var services = Build(o => o.Quota.RequestsPerSecond = 5, time, handler);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var calls = Enumerable.Range(0, 60).Select(i => client.UpdateAsync(Update(i))).ToList();
        await TestClients.AdvanceUntilAsync(time, () => calls.All(c => c.IsCompleted), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));

        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully, c.Exception?.InnerException?.Message));
        Assert.Equal(60, handler.Times.Count);
        var times = handler.Times.OrderBy(t => t).ToList();
        for (int i = 1; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 1] >= TimeSpan.FromMilliseconds(200), $"requests {i - 1} and {i} were {(times[i] - times[i - 1]).TotalMilliseconds} ms apart");
        }

        Assert.All(calls, c => Assert.Equal(1, c.Result.Attempts));
    }

    [Fact]
    public async Task Pacing_WithTheBreakerOff_NeverTimesOutQueuedUpdates()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new ClockHandler(time);
        using var services = Build(o =>
        {
            o.Quota.RequestsPerSecond = 5;
            o.Resilience.CircuitBreakerEnabled = false;
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(2);
        }, time, handler);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var calls = Enumerable.Range(0, 60).Select(i => client.UpdateAsync(Update(i))).ToList();
        await TestClients.AdvanceUntilAsync(time, () => calls.All(c => c.IsCompleted), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));

        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully, c.Exception?.InnerException?.Message));
        Assert.Equal(60, handler.Times.Count);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Pacing_UpdateManyAtDefaultConcurrency_AcceptsEveryUpdate()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new ClockHandler(time);
        using var services = Build(o => o.Quota.RequestsPerSecond = 5, time, handler);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var batch = client.UpdateManyAsync(Enumerable.Range(0, 100).Select(Update));
        await TestClients.AdvanceUntilAsync(time, () => batch.IsCompleted, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(40));

        var result = await batch;
        Assert.Equal(100, result.Accepted);
        Assert.Equal(0, result.Failed);
        Assert.Equal(100, handler.Times.Count);
    }

    [Fact]
    public async Task Pacing_CanceledWait_ReleasesItsSlot()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new ClockHandler(time);
        using var services = Build(o => o.Quota.RequestsPerSecond = 1, time, handler);
        var client = services.GetRequiredService<IProfileUpdateClient>();
        await client.UpdateAsync(Update(1));
        var start = time.GetUtcNow();

        using var cts = new CancellationTokenSource();
        var pacing = TestClients.WaitForTimerAsync(time, due => due > TimeSpan.FromMilliseconds(500) && due <= TimeSpan.FromSeconds(1));
        var abandoned = client.UpdateAsync(Update(2), cts.Token);
        await pacing; // the second update waits for its pacing slot, one second after the first
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var third = client.UpdateAsync(Update(3));
        await TestClients.AdvanceUntilAsync(time, () => third.IsCompleted, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

        await third;
        Assert.Equal(2, handler.Times.Count);
        Assert.True(handler.Times.Last() - start <= TimeSpan.FromMilliseconds(1100), "the third update waited for the canceled one's slot");
    }

    [Fact]
    public async Task Attempts_CountOnlyRequestsThatWereSent_WhenTheQuotaRefusesTheFirst()
    {
        var (client, handler, _) = TestClients.Create(o => o.Quota.PermitLimit = 1);
        await client.UpdateAsync(Update(1));

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update(2)));

        Assert.Equal(0, ex.Attempts);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void ResolvingTheClientFromTheRoot_RetainsNothing()
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => o.ClientCode = "demo");
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IProfileUpdateClient>();
        _ = provider.GetRequiredService<IProfileFetchClient>();

        long before = HeapAfterFullGc();
        for (int i = 0; i < 100_000; i++)
        {
            _ = provider.GetRequiredService<IProfileUpdateClient>();
            _ = provider.GetRequiredService<IProfileFetchClient>();
        }

        long grown = HeapAfterFullGc() - before;
        Assert.True(grown < 1_000_000, $"100,000 resolutions kept {grown} bytes alive");
        Assert.Same(provider.GetRequiredService<IProfileUpdateClient>(), provider.GetRequiredService<IProfileUpdateClient>());
    }

    [Fact]
    public async Task CircuitOpeningDuringRetries_ReportsTheRealAttemptsAndTheLastAnswer()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy"));
        var (client, _, _) = TestClients.Create(o =>
        {
            o.Resilience.MaxRetryAttempts = 3;
            o.Resilience.CircuitBreakerMinimumThroughput = 2;
            o.Resilience.CircuitBreakerFailureRatio = 0.5;
        }, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, ex.Attempts);
        Assert.Equal(503, ex.StatusCode);
        Assert.Null(ex.ResponseBody); // "busy" is free text: not kept
        Assert.Contains("stopped after 2 attempt(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("circuit breaker opened", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not sent", ex.Message, StringComparison.Ordinal);

        var next = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));
        Assert.Equal(0, next.Attempts);
        Assert.Null(next.StatusCode);
        Assert.Contains("was not sent", next.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task DisposingTheClientDuringACall_ReportsDisposedNotATransientTimeout()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler().Always(() => RecordingHandler.Ok());
        handler.Then(async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct); // hangs until canceled (a stuck server): not a sleep
            return RecordingHandler.Ok();
        });
        var client = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = "demo" }, null, NullLoggerFactory.Instance, handler);
        var outcomes = new ConcurrentQueue<string?>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "TargetProfileUpdate",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "TargetProfileUpdate.Update")
                {
                    outcomes.Enqueue(activity.GetTagItem("target.profile_update.outcome") as string);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var call = client.UpdateAsync(Update("disposal-probe"));
        await started.Task;
        client.Dispose();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => call);
        Assert.IsType<ObjectDisposedException>(ex.InnerException);
        Assert.False(ex.IsTransient);
        Assert.Contains("disposed", ex.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
        Assert.Contains("disposed", outcomes);
    }

    public static TheoryData<string, Action<ProfileApiResilienceOptions>> ValuesPollyRefuses => new()
    {
        { "AttemptTimeout", r => r.AttemptTimeout = TimeSpan.FromMilliseconds(5) },
        { "AttemptTimeout", r => { r.AttemptTimeout = TimeSpan.FromDays(2); r.TotalTimeout = TimeSpan.FromDays(2); } },
        { "TotalTimeout", r => r.TotalTimeout = TimeSpan.FromDays(2) },
        { "CircuitBreakerBreakDuration", r => r.CircuitBreakerBreakDuration = TimeSpan.FromDays(2) },
        { "CircuitBreakerSamplingDuration", r => r.CircuitBreakerSamplingDuration = TimeSpan.FromDays(2) },
        { "BaseDelay", r => { r.BaseDelay = TimeSpan.FromDays(2); r.MaxDelay = TimeSpan.FromDays(3); } },
        { "MaxDelay", r => r.MaxDelay = TimeSpan.FromDays(2) },
    };

    [Theory]
    [MemberData(nameof(ValuesPollyRefuses))]
    public void OptionsPollyWouldRefuse_FailAtStartNamingTheKey_NotAtFirstResolution(string key, Action<ProfileApiResilienceOptions> set)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => { o.ClientCode = "demo"; set(o.Resilience); });
        using var provider = services.BuildServiceProvider();

        var atStart = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(Options.DefaultName));
        Assert.Contains("Resilience:" + key, atStart.Message, StringComparison.Ordinal);

        var options = new TargetProfileUpdateOptions { ClientCode = "demo" };
        set(options.Resilience);
        var withoutDi = Assert.Throws<OptionsValidationException>(() => new ProfileUpdateClient(options));
        Assert.Contains("Resilience:" + key, withoutDi.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateMany_SourceThatThrows_KeepsItsAccounting()
    {
        var (client, handler, _) = TestClients.Create();
        var boom = new InvalidOperationException("source failed");

        var ex = await Assert.ThrowsAsync<ProfileBatchException>(() => client.UpdateManyAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 2 }));

        Assert.Same(boom, ex.InnerException);
        Assert.Equal(5, ex.PartialResult.Submitted);
        Assert.Equal(ex.PartialResult.Submitted, ex.PartialResult.Accepted + ex.PartialResult.Failed + ex.PartialResult.NotSent);
        Assert.Equal(5, handler.Requests.Count);

        IEnumerable<ProfileUpdate> Source()
        {
            for (int i = 0; i < 5; i++)
            {
                yield return Update(i);
            }

            throw boom;
        }
    }

    [Fact]
    public async Task UpdateMany_ProgressCallbackThatThrows_KeepsItsAccounting()
    {
        var (client, _, _) = TestClients.Create();
        var progress = new ThrowingProgress();

        var ex = await Assert.ThrowsAsync<ProfileBatchException>(() => client.UpdateManyAsync(
            Enumerable.Range(0, 50).Select(Update),
            new ProfileBatchOptions { MaxConcurrency = 1, ProgressInterval = 10, Progress = progress }));

        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(ex.PartialResult.Submitted, ex.PartialResult.Accepted + ex.PartialResult.Failed + ex.PartialResult.NotSent);
        Assert.InRange(ex.PartialResult.Submitted, 10, 11);
    }

    [Fact]
    public async Task ResilienceOff_AHungServer_StillEndsAtTheTotalTimeout()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new RecordingHandler().Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // hangs until canceled (a stuck server): not a sleep
            return RecordingHandler.Ok();
        });
        var (client, _, _) = TestClients.Create(o => { o.Resilience.Enabled = false; o.Resilience.TotalTimeout = TimeSpan.FromSeconds(3); }, handler, time);

        var call = client.UpdateAsync(Update());
        await TestClients.AdvanceUntilAsync(time, () => call.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => call);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public void NoPublicConstructor_TakesAnArbitraryHttpClient()
    {
        var constructors = typeof(ProfileUpdateClient).GetConstructors();

        Assert.DoesNotContain(constructors, c => c.GetParameters().Any(p => p.ParameterType == typeof(HttpClient) || p.ParameterType == typeof(HttpMessageHandler)));
    }

    [Fact]
    public async Task AnAnswerFromAnotherOrigin_IsRefused()
    {
        var handler = new RecordingHandler().Then((request, _) =>
        {
            var redirected = new HttpRequestMessage(request.Method, "https://elsewhere.example/collect");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("trueRequest successfully submitted"), RequestMessage = redirected });
        });
        var (client, _, _) = TestClients.Create(handler: handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Contains("another origin", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    private static ServiceProvider Build(Action<TargetProfileUpdateOptions> configure, TimeProvider time, HttpMessageHandler handler) =>
        TestClients.CreateProvider(handler, configure, time);

    private static long HeapAfterFullGc()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class ThrowingProgress : IProgress<ProfileBatchProgress>
    {
        public void Report(ProfileBatchProgress value) => throw new InvalidOperationException("progress sink failed");
    }
}
