using System.Net;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Resilience;

public sealed class RetryTests
{
    private static ProfileUpdate Update() => ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold").Set("visits", 3);

    private static HttpResponseMessage Status(HttpStatusCode status, string? retryAfter = null)
    {
        var response = RecordingHandler.Text(status, "error");
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    [Fact]
    public async Task UpdateAsync_Two503sThenSuccess_MakesThreeAttemptsWithIdenticalUrls()
    {
        var handler = new RecordingHandler().Then(Status(HttpStatusCode.ServiceUnavailable)).Then(Status(HttpStatusCode.ServiceUnavailable)).Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(handler: handler);

        var result = await client.UpdateAsync(Update());

        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Single(handler.Requests.Select(r => r.Url).Distinct());
    }

    [Fact]
    public async Task UpdateAsync_PostRetried_SendsIdenticalBodyBytesEachAttempt()
    {
        var handler = new RecordingHandler().Then(Status(HttpStatusCode.BadGateway)).Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(o => o.Method = ProfileUpdateMethod.Post, handler);

        var result = await client.UpdateAsync(Update());

        Assert.Equal(2, result.Attempts);
        var bodies = handler.Requests.Select(r => r.BodyText).ToArray();
        Assert.Equal(2, bodies.Length);
        Assert.Equal("mbox3rdPartyId=crm-1&profile.tier=gold&profile.visits=3", bodies[0]);
        Assert.Equal(bodies[0], bodies[1]);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task UpdateAsync_TransientStatus_IsRetried(HttpStatusCode status)
    {
        var handler = new RecordingHandler().Then(Status(status)).Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(handler: handler);

        Assert.Equal(2, (await client.UpdateAsync(Update())).Attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.RequestUriTooLong)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task UpdateAsync_NonTransientStatus_IsNotRetried(HttpStatusCode status)
    {
        var handler = new RecordingHandler().Always(() => Status(status));
        var (client, _, _) = TestClients.Create(handler: handler);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Single(handler.Requests);
        Assert.Equal((int)status, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task UpdateAsync_FalseBody_IsNotRetried()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Ok("falseInvalid"));
        var (client, _, _) = TestClients.Create(handler: handler);

        await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task UpdateAsync_AlwaysFailing_StopsAfterMaxRetriesWithTransientException()
    {
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.ServiceUnavailable));
        var (client, _, _) = TestClients.Create(o => o.Resilience.MaxRetryAttempts = 2, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task UpdateAsync_ConnectionFailureThenSuccess_IsRetried()
    {
        var handler = new RecordingHandler()
            .Then((_, _) => throw new HttpRequestException("Connection refused", null, HttpStatusCode.ServiceUnavailable))
            .Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(handler: handler);

        Assert.Equal(2, (await client.UpdateAsync(Update())).Attempts);
    }

    [Fact]
    public async Task UpdateAsync_ConnectionAlwaysFails_ThrowsTransientWithoutStatus()
    {
        var handler = new RecordingHandler().Then((_, _) => throw new HttpRequestException("Connection refused"));
        var (client, _, _) = TestClients.Create(o => o.Resilience.MaxRetryAttempts = 1, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(2, ex.Attempts);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task UpdateAsync_429WithRetryAfter2Seconds_WaitsAtLeastTwoSecondsOnTheClock()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var handler = new RecordingHandler().Then(Status(HttpStatusCode.TooManyRequests, "2")).Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(handler: handler, timeProvider: time);

        var task = client.UpdateAsync(Update());
        await TestClients.AdvanceUntilAsync(time, () => false, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1900));
        Assert.Single(handler.Requests);
        Assert.False(task.IsCompleted);

        await TestClients.AdvanceUntilAsync(time, () => handler.Requests.Count == 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        var result = await task;

        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_RetryAfterAsHttpDate_IsHonoured()
    {
        var now = DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var time = new TimerWatchingTimeProvider(now);
        var handler = new RecordingHandler().Then(Status(HttpStatusCode.ServiceUnavailable, now.AddSeconds(5).ToString("R"))).Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(handler: handler, timeProvider: time);

        var task = client.UpdateAsync(Update());
        await TestClients.AdvanceUntilAsync(time, () => false, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(4750));
        Assert.Single(handler.Requests);

        await TestClients.AdvanceUntilAsync(time, () => handler.Requests.Count == 2, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await task).Attempts);
    }

    [Fact]
    public async Task UpdateAsync_RetryAfterBeyondTheCap_FailsAtOnceWithRetryAfter()
    {
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.TooManyRequests, "3600"));
        var (client, _, _) = TestClients.Create(handler: handler, timeProvider: new FakeTimeProvider());

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update()));

        Assert.Single(handler.Requests);
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.Equal(429, ex.StatusCode);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task UpdateAsync_RetryAfterBeyondTheRemainingTotalBudget_FailsAtOnce()
    {
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.TooManyRequests, "25"));
        var (client, _, _) = TestClients.Create(o => o.Resilience.TotalTimeout = TimeSpan.FromSeconds(20), handler, new FakeTimeProvider());

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update()));

        Assert.Single(handler.Requests);
        Assert.Equal(TimeSpan.FromSeconds(25), ex.RetryAfter);
    }

    [Fact]
    public async Task UpdateAsync_MalformedRetryAfter_FallsBackToNormalBackoff()
    {
        var handler = new RecordingHandler().Then(Status(HttpStatusCode.TooManyRequests, "soon")).Then(RecordingHandler.Ok());
        var (client, _, _) = TestClients.Create(handler: handler);

        Assert.Equal(2, (await client.UpdateAsync(Update())).Attempts);
    }

    [Fact]
    public async Task UpdateAsync_CanceledDuringRequest_ThrowsOperationCanceledUnwrapped()
    {
        var handler = new RecordingHandler().Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // hangs until canceled (a stuck server): not a sleep
            return RecordingHandler.Ok();
        });
        var (client, _, _) = TestClients.Create(handler: handler);
        using var cts = new CancellationTokenSource();
        handler.Received += _ => cts.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.UpdateAsync(Update(), cts.Token));

        Assert.IsNotType<ProfileApiException>(ex, exactMatch: false);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task UpdateAsync_CanceledDuringBackoffDelay_ThrowsOperationCanceledAndStopsRetrying()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.ServiceUnavailable, "10"));
        var (client, _, _) = TestClients.Create(handler: handler, timeProvider: time);
        using var cts = new CancellationTokenSource();

        var task = client.UpdateAsync(Update(), cts.Token);
        await TestClients.AdvanceUntilAsync(time, () => false, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task UpdateAsync_AttemptsTimeOut_ThrowsProfileUpdateExceptionWithTimeoutInner()
    {
        var handler = new RecordingHandler().Then(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // hangs until canceled (a stuck server): not a sleep
            return RecordingHandler.Ok();
        });
        var (client, _, _) = TestClients.Create(
            o =>
            {
                o.Resilience.MaxRetryAttempts = 1;
                o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(50);
                o.Resilience.TotalTimeout = TimeSpan.FromSeconds(30);
            },
            handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task UpdateAsync_ResilienceDisabled_SendsOnce()
    {
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.ServiceUnavailable));
        var (client, _, _) = TestClients.Create(o => o.Resilience.Enabled = false, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Single(handler.Requests);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_CircuitOpen_FailsFastWithoutANetworkCall()
    {
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.InternalServerError));
        var (client, _, _) = TestClients.Create(
            o =>
            {
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreakerMinimumThroughput = 2;
                o.Resilience.CircuitBreakerFailureRatio = 0.5;
                o.Resilience.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1);
            },
            handler);

        await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));
        await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));
        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(0, ex.Attempts);
        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("circuit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_Repeated429s_DoNotOpenTheCircuit()
    {
        var handler = new RecordingHandler().Always(() => Status(HttpStatusCode.TooManyRequests));
        var (client, _, _) = TestClients.Create(
            o =>
            {
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreakerMinimumThroughput = 2;
            },
            handler);

        for (int i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update()));
        }

        Assert.Equal(4, handler.Requests.Count);
    }
}
