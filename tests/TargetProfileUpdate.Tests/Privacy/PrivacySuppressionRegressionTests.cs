using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.Tests.Privacy;

/// <summary>A deletion of many ids whose suppression list fails part-way still says which jobs were created.</summary>
public sealed class PrivacySuppressionRegressionTests
{
    [Fact]
    public async Task RequestDeletionAsync_WhenTheSuppressionListFailsBeforeTheSecondRequest_ThrowsWithTheFirstRequestsJobs()
    {
        var service = new FakePrivacyService();
        var list = new FailingOnSecondAddList();
        await using var provider = service.CreateProvider(account: b => b.UseSuppressionList(_ => list));
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var ids = Enumerable.Range(0, 1500).Select(i => ProfileId.FromThirdPartyId("user-" + i)).ToList();

        // The first request created 1,000 deletion jobs: the caller must learn them (and where to resume), or a retry of
        // the whole call asks Privacy Service to erase those 1,000 people a second time.
        var ex = await Assert.ThrowsAsync<PrivacyRequestException>(() => client.RequestDeletionAsync(ids, "gdpr"));

        Assert.Single(service.Creates);
        Assert.Equal(1000, ex.PartialResult.Jobs.Count);
        Assert.Equal(1, ex.PartialResult.Requests);
        Assert.Equal(1000, ex.FirstUnsentIndex);
        Assert.Equal(ProfileApiFailureReason.SuppressionListUnavailable, ex.Reason);
        Assert.True(ex.IsTransient);
        Assert.DoesNotContain("user-", ex.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Accepts the first addition, then fails as an unreachable shared list (Redis) does.</summary>
    private sealed class FailingOnSecondAddList : ISuppressionList
    {
        private int _adds;

        public ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public ValueTask AddAsync(IEnumerable<ProfileId> ids, CancellationToken cancellationToken = default) =>
            ++_adds == 1
                ? ValueTask.CompletedTask
                : ValueTask.FromException(new ProfileApiException(
                    ProfileApiFailureReason.SuppressionListUnavailable,
                    "The suppression list could not be changed (RedisConnectionException).",
                    statusCode: null,
                    responseBody: null,
                    attempts: 0,
                    isTransient: true,
                    innerException: null));

        public ValueTask<bool> RemoveAsync(ProfileId id, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }
}
