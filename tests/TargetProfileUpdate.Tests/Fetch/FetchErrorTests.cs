using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;
using static TargetProfileUpdate.Tests.Fetch.FetchTestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>Failures of a fetch: authentication, rate limits, retries, the answer cap, malformed JSON, redaction, cancellation.</summary>
public sealed class FetchErrorTests
{
    private static readonly ProfileId Crm1 = ProfileId.FromThirdPartyId("crm-1");

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task GetProfileAsync_401Or403_ThrowsAuthenticationExceptionAtTheProfileEndpoint(HttpStatusCode status)
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => RecordingHandler.Text(status, "Forbidden")));

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Equal(AuthenticationStep.ProfileEndpoint, ex.Step);
        Assert.Equal((int)status, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Single(handler.Requests);
        Assert.Contains("AuthorizationToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetProfileAsync_403WithAToken_ResendsOnceThenThrowsAuthenticationException()
    {
        var (fetch, _, handler, _) = Create(o => o.AuthorizationToken = "tok-123", new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.Forbidden, "Forbidden")));

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Equal(AuthenticationStep.ProfileEndpoint, ex.Step);
        Assert.Equal(403, ex.StatusCode);
        Assert.All(handler.Requests, r => Assert.Equal("Bearer tok-123", r.Authorization));
        Assert.InRange(handler.Requests.Count, 1, 2);
    }

    [Fact]
    public async Task GetProfileAsync_429WithRetryAfterWithinTheCap_WaitsOnTheClockAndRetries()
    {
        var time = new TimerWatchingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var handler = new RecordingHandler()
            .Then(WithRetryAfter(RecordingHandler.Text(HttpStatusCode.TooManyRequests, "slow down"), "2"))
            .Then(Json(CurrentShape));
        var (fetch, _, _, _) = Create(handler: handler, timeProvider: time);

        var task = fetch.GetProfileAsync(Crm1);
        await TestClients.AdvanceUntilAsync(time, () => false, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1900));
        Assert.Single(handler.Requests);
        Assert.False(task.IsCompleted);

        await TestClients.AdvanceUntilAsync(time, () => handler.Requests.Count == 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        var profile = await task;

        Assert.NotNull(profile);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task GetProfileAsync_429WithRetryAfterBeyondTheCap_ThrowsNamingTheWait()
    {
        var handler = new RecordingHandler().Always(() => WithRetryAfter(
            Json("""{"status":429,"message":"Fetch limit reached, retry in 3600 seconds"}""", HttpStatusCode.TooManyRequests), "3600"));
        var (fetch, _, _, _) = Create(handler: handler, timeProvider: new FakeTimeProvider());

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => fetch.GetProfileAsync(Crm1));

        Assert.IsNotType<ProfileApiAuthenticationException>(ex);
        Assert.Single(handler.Requests);
        Assert.Equal(429, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("3600 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal("status=429", ex.ResponseBody); // the documented code field; the message is free text, never kept
    }

    [Fact]
    public async Task GetProfileAsync_429WithoutRetryAfter_KeepsTheAnswersCodeFieldsNotItsMessage()
    {
        var handler = new RecordingHandler().Always(() => Json("""{"status":429,"message":"limit reached, wait 10 minutes"}""", HttpStatusCode.TooManyRequests));
        var (fetch, _, _, _) = Create(o => o.Resilience.MaxRetryAttempts = 1, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(2, ex.Attempts);
        Assert.Equal("status=429", ex.ResponseBody);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task GetProfileAsync_TransientStatus_IsRetried(HttpStatusCode status)
    {
        var handler = new RecordingHandler().Then(RecordingHandler.Text(status, "error")).Then(Json(CurrentShape));
        var (fetch, _, _, _) = Create(handler: handler);

        var profile = await fetch.GetProfileAsync(Crm1);

        Assert.NotNull(profile);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Single(handler.Requests.Select(r => r.Url).Distinct());
    }

    [Fact]
    public async Task GetProfileAsync_ConnectionFailureThenSuccess_IsRetried()
    {
        var handler = new RecordingHandler()
            .Then((_, _) => throw new HttpRequestException("Connection refused"))
            .Then(Json(CurrentShape));
        var (fetch, _, _, _) = Create(handler: handler);

        Assert.NotNull(await fetch.GetProfileAsync(Crm1));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task GetProfileAsync_AlwaysFailing_ThrowsTransientAfterTheRetries()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "down"));
        var (fetch, _, _, _) = Create(o => o.Resilience.MaxRetryAttempts = 2, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
        Assert.True(ex.IsTransient);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task GetProfileAsync_NonTransientStatus_IsNotRetried(HttpStatusCode status)
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(status, "no"));
        var (fetch, _, _, _) = Create(handler: handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Equal((int)status, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task GetProfileAsync_AnswerOfExactlyMaxAnswerBytes_IsRead()
    {
        string json = Pad("""{"profileAttributes":{"tier":{"value":"gold"}}}""", ProfileFetchClient.MaxAnswerBytes);
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(Json(json)));

        var profile = await fetch.GetProfileAsync(Crm1);

        Assert.Equal("gold", profile!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task GetProfileAsync_AnswerOverMaxAnswerBytes_IsRefused()
    {
        string json = Pad("""{"profileAttributes":{"tier":{"value":"gold"}}}""", ProfileFetchClient.MaxAnswerBytes + 1);
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(json)));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Equal(200, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("1048576 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task GetProfileAsync_EndlessAnswer_IsRefusedWithoutReadingItAll()
    {
        var body = new EndlessStream();
        var handler = new RecordingHandler().Then(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
        var (fetch, _, _, _) = Create(handler: handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Crm1));

        Assert.Contains("1048576 bytes", ex.Message, StringComparison.Ordinal);
        Assert.InRange(body.Served, ProfileFetchClient.MaxAnswerBytes, ProfileFetchClient.MaxAnswerBytes + (1024 * 1024));
    }

    [Theory]
    [InlineData("{\"profileAttributes\":")]
    [InlineData("<html>Service Unavailable</html>")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"profileAttributes\":[1]}")]
    public async Task GetProfileAsync_MalformedJson_ThrowsProfileApiException(string body)
    {
        var (fetch, _, handler, _) = Create(handler: new RecordingHandler().Always(() => Json(body)));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Crm1));

        Assert.IsNotType<ProfileApiAuthenticationException>(ex);
        Assert.Equal(200, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("not the expected JSON", ex.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task GetProfileAsync_500EchoingTheIdInEveryEncoding_KeepsNoIdInTheException()
    {
        const string id = "jane doe/ü+7731@example.com";
        string[] forms =
        [
            id,
            Uri.EscapeDataString(id),
            Uri.EscapeDataString(id).ToLowerInvariant(),
            WebUtility.UrlEncode(id),
            JsonSerializer.Serialize(id).Trim('"'),
            id.Replace("/", "\\/", StringComparison.Ordinal),
        ];
        string body = "{\"error\":\"no backend for " + string.Join(" | ", forms.Select(f => f.Replace("\"", "\\\"", StringComparison.Ordinal))) + "\"}";
        var handler = new RecordingHandler().Always(() => Json(body, HttpStatusCode.InternalServerError));
        var (fetch, _, _, _) = Create(o => { o.Resilience.MaxRetryAttempts = 0; o.AuthorizationToken = PersonalData.Token; }, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(ProfileId.FromThirdPartyId(id)));

        Assert.Equal(500, ex.StatusCode);
        Assert.Null(ex.ResponseBody); // "error" is a code field, but this one is free text: not a code, so not kept
        string everything = ex.ResponseBody + "\n" + ex.Message + "\n" + ex;
        foreach (string secret in forms.Append("jane doe").Append("jane+doe").Append("jane%20doe").Append("7731@example.com").Append(PersonalData.Token))
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task GetProfileAsync_PreCanceledToken_ReturnsACanceledTaskWithoutSending()
    {
        var (fetch, _, handler, _) = Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var task = fetch.GetProfileAsync(Crm1, cts.Token);

        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetProfileAsync_CanceledInFlight_ReturnsACanceledTask()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler().Then(async (_, ct) =>
        {
            arrived.SetResult();
            await Task.Delay(Timeout.Infinite, ct); // hangs until canceled (a stuck server): not a sleep
            return Json(CurrentShape);
        });
        var (fetch, _, _, _) = Create(handler: handler);
        using var cts = new CancellationTokenSource();

        var task = fetch.GetProfileAsync(Crm1, cts.Token);
        await arrived.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Single(handler.Requests);
    }

    private static string Pad(string json, int bytes)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(json);
        return json + new string(' ', bytes - length);
    }

    /// <summary>A body that never ends; counts what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
