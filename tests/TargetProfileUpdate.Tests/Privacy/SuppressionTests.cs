using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Privacy;

/// <summary>The suppression list: filled by deletions, checked before every update and bulk row, hashes only.</summary>
public sealed class SuppressionTests
{
    [Fact]
    public async Task UpdateAsync_ForASuppressedId_ThrowsProfileSuppressedException_SendsNothing_AndCountsIt()
    {
        using var logs = FakeLogs.Provider();
        var handler = new RecordingHandler();
        await using var provider = TestClients.CreateProvider(handler, loggerProvider: logs, services: s => s.AddMetrics());
        using var metrics = new SdkMetrics(provider);
        var client = provider.GetRequiredService<IProfileUpdateClient>();
        await provider.GetRequiredService<ISuppressionList>().AddAsync([ProfileId.FromThirdPartyId(PersonalData.Id)]);

        var ex = await Assert.ThrowsAsync<ProfileSuppressedException>(() => client.UpdateAsync(PersonalData.Update()));
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("someone-else").Set("a", "1"));

        Assert.Single(handler.Requests);
        Assert.False(ex.IsTransient);
        Assert.Equal(0, ex.Attempts);
        Assert.Contains(metrics.Measurements, m => m.Instrument == "target.profile.suppressed" && m.Tags == "source=update" && m.Value == 1);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "ProfileSuppressed");
        PersonalData.AssertAbsentFrom(logs.Collector.Texts().Append(ex.ToString()).Concat(metrics.Measurements.Select(m => m.Tags)));
    }

    [Fact]
    public async Task UpdateAsync_WhenTheSuppressionListThrows_FailsClosed_SendsNothing_AndKeepsNotTheListsMessage()
    {
        var handler = new RecordingHandler();
        var id = ProfileId.FromThirdPartyId(PersonalData.Id);
        await using var provider = TestClients.CreateProvider(handler, account: b => b.UseSuppressionList(_ => new ThrowingList("lookup failed for " + PersonalData.Id)));
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(PersonalData.Update()));

        Assert.Empty(handler.Requests);
        Assert.Equal(ProfileApiFailureReason.SuppressionListUnavailable, ex.Reason);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.InnerException);
        PersonalData.AssertAbsentFrom([ex.ToString()]);
    }

    private sealed class ThrowingList(string message) : ISuppressionList
    {
        public ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default) => ValueTask.FromException<bool>(new InvalidOperationException(message));

        public ValueTask AddAsync(IEnumerable<ProfileId> ids, CancellationToken cancellationToken = default) => ValueTask.FromException(new InvalidOperationException(message));

        public ValueTask<bool> RemoveAsync(ProfileId id, CancellationToken cancellationToken = default) => ValueTask.FromException<bool>(new InvalidOperationException(message));
    }

    [Fact]
    public async Task UpdateAsync_ForTheSameValueOfAnotherKind_IsNotSuppressed()
    {
        var handler = new RecordingHandler();
        await using var provider = TestClients.CreateProvider(handler);
        await provider.GetRequiredService<ISuppressionList>().AddAsync([ProfileId.FromThirdPartyId("x-1")]);

        await provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(ProfileUpdate.ForPcId("x-1").Set("a", "1"));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task UploadAsync_RejectsSuppressedRowsWithTheirIndex_AndSendsTheOthers()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(System.Net.HttpStatusCode.OK,
            "<response><success>true</success><batchStatus>https://demo.tt.omtrdc.net/m2/demo/v2/profile/batchStatus?batchId=demo-1</batchStatus><message>Batch submitted for processing</message></response>"));
        await using var provider = TestClients.CreateProvider(handler, services: s => s.AddMetrics());
        using var metrics = new SdkMetrics(provider);
        await provider.GetRequiredService<ISuppressionList>().AddAsync([ProfileId.FromThirdPartyId("u-1"), ProfileId.FromThirdPartyId("u-3")]);
        var rows = Enumerable.Range(0, 4).Select(i => ProfileUpdate.ForThirdPartyId("u-" + i).Set("a", "v" + i)).ToList();

        var result = await provider.GetRequiredService<IBulkProfileUpdateClient>().UploadAsync(rows);

        Assert.Equal(2, result.Sent);
        Assert.Equal([1L, 3L], result.Rejections.Select(r => r.Index));
        Assert.All(result.Rejections, r => Assert.True(r.IsSuppressed));
        string body = Assert.Single(handler.Requests).BodyText;
        Assert.Contains("u-0", body, StringComparison.Ordinal);
        Assert.DoesNotContain("u-1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("u-3", body, StringComparison.Ordinal);
        Assert.Equal(2, metrics.Measurements.Where(m => m.Instrument == "target.profile.suppressed" && m.Tags == "source=bulk_row").Sum(m => m.Value));
    }

    [Fact]
    public async Task RequestDeletionAsync_PutsItsIdsOnTheSuppressionList_AndAccessDoesNot()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var privacy = provider.GetRequiredService<IProfilePrivacyClient>();
        var list = provider.GetRequiredService<ISuppressionList>();

        await privacy.RequestAccessAsync([ProfileId.FromPcId("read-me")], "gdpr");
        await privacy.RequestDeletionAsync([ProfileId.FromPcId("erase-me")], "gdpr");

        Assert.False(await list.ContainsAsync(ProfileId.FromPcId("read-me")));
        Assert.True(await list.ContainsAsync(ProfileId.FromPcId("erase-me")));
    }

    [Fact]
    public async Task RequestDeletionAsync_WithSuppressOnDeletionOff_LeavesTheListAlone()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider(o => o.Privacy.SuppressOnDeletion = false);

        await provider.GetRequiredService<IProfilePrivacyClient>().RequestDeletionAsync([ProfileId.FromPcId("erase-me")], "gdpr");

        Assert.False(await provider.GetRequiredService<ISuppressionList>().ContainsAsync(ProfileId.FromPcId("erase-me")));
    }

    [Fact]
    public async Task RemoveAsync_LetsTheIdBeWrittenAgain()
    {
        var list = new InMemorySuppressionList(ProfileIdHasher.CreateRandom());
        var id = ProfileId.FromThirdPartyId("back-again");
        await list.AddAsync([id, id]);

        Assert.Equal(1, list.Count);
        Assert.True(await list.RemoveAsync(id));
        Assert.False(await list.ContainsAsync(id));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void Hash_IsAKeyedHmac_NotTheIdInAnyEncoding()
    {
        var id = ProfileId.FromThirdPartyId(PersonalData.Id);
        var hasher = new ProfileIdHasher(FakePrivacyService.HashSecret);

        string hash = hasher.Hash(id);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, new ProfileIdHasher(FakePrivacyService.HashSecret).Hash(ProfileId.FromThirdPartyId(PersonalData.Id)));
        Assert.NotEqual(hash, new ProfileIdHasher(new string('q', 32)).Hash(id));
        Assert.NotEqual(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PersonalData.Id))));
        PersonalData.AssertAbsentFrom([hash, System.Text.Encoding.UTF8.GetString(Convert.FromHexString(hash))]);
        Assert.Throws<ArgumentException>(() => new ProfileIdHasher("too-short"));
    }
}
