using System.Net;
using TargetProfileUpdate.Tests.TestSupport;
using static TargetProfileUpdate.Tests.Fetch.FetchTestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>Fetch shares the account's token and HTTP client but not the update quota or the update circuit breaker.</summary>
public sealed class FetchIsolationTests
{
    private static bool IsFetch(HttpRequestMessage request) =>
        request.RequestUri!.OriginalString.StartsWith(ProfilesUrl, StringComparison.Ordinal);

    [Fact]
    public async Task GetProfileAsync_DoesNotConsumeTheUpdateQuota()
    {
        var handler = new RecordingHandler().Then((request, _) => Task.FromResult(IsFetch(request) ? Json(CurrentShape) : RecordingHandler.Ok()));
        var (fetch, update, _, _) = Create(o => o.Quota.PermitLimit = 1, handler);

        var first = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));
        var second = await fetch.GetProfileAsync(ProfileId.FromPcId("p-1"));
        var result = await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(3, handler.Requests.Count);

        // The one update permit is now spent: a second update is refused client-side, a fetch still goes through.
        await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "silver")));
        Assert.NotNull(await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1")));
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task GetProfileAsync_OpenFetchCircuit_FailsFastWhileUpdatesAreStillSent()
    {
        var handler = new RecordingHandler().Then((request, _) => Task.FromResult(IsFetch(request)
            ? RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "down")
            : RecordingHandler.Ok()));
        var (fetch, update, _, _) = Create(
            o =>
            {
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreakerMinimumThroughput = 2;
                o.Resilience.CircuitBreakerFailureRatio = 0.5;
                o.Resilience.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(5);
                o.Resilience.CircuitBreakerSamplingDuration = TimeSpan.FromMinutes(5);
            },
            handler);
        var id = ProfileId.FromThirdPartyId("crm-1");

        for (int i = 0; i < 2; i++)
        {
            var failed = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(id));
            Assert.Equal(503, failed.StatusCode);
        }

        int sentBefore = handler.Requests.Count;
        var open = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(id));
        Assert.Equal(sentBefore, handler.Requests.Count);
        Assert.Equal(0, open.Attempts);
        Assert.True(open.IsTransient);
        Assert.Contains("circuit breaker", open.Message, StringComparison.Ordinal);

        var result = await update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold"));

        Assert.Equal(1, result.Attempts);
        Assert.Equal(sentBefore + 1, handler.Requests.Count);
        Assert.Equal(TestClients.UpdateUrl + "?mbox3rdPartyId=crm-1&profile.tier=gold", handler.Requests.Last().Url);
    }

    [Fact]
    public async Task UpdateAsync_OpenUpdateCircuit_DoesNotStopFetches()
    {
        var handler = new RecordingHandler().Then((request, _) => Task.FromResult(IsFetch(request)
            ? Json(CurrentShape)
            : RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "down")));
        var (fetch, update, _, _) = Create(
            o =>
            {
                o.Resilience.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreakerMinimumThroughput = 2;
                o.Resilience.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(5);
                o.Resilience.CircuitBreakerSamplingDuration = TimeSpan.FromMinutes(5);
            },
            handler);

        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ProfileApiException>(() => update.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold")));
        }

        int sentBefore = handler.Requests.Count;
        Assert.Equal(2, sentBefore);
        Assert.NotNull(await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1")));
        Assert.Equal(sentBefore + 1, handler.Requests.Count);
    }
}
