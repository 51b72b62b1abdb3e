using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;
using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.Redis.Tests.Suppression;

/// <summary>
/// The Redis suppression list against a real <c>redis-server</c> (issue 23): a deletion made by one instance through the
/// emulator's Privacy Service is seen by a new instance in another OS process after the first one is gone; the set holds
/// keyed hashes only; an unreachable Redis fails closed.
/// </summary>
[Trait("Category", "Slow")] // a real redis-server and worker processes
public sealed class RedisSuppressionListTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string ClientId = "client-id-redis";
    private const string ClientSecret = "client-secret-redis";
    private const string OrgId = "0123456789ABCDEF01234567@AdobeOrg";
    private const string Secret = "redis-suppression-secret-0123456789abcdef";
    private const string Erased = "erase.me@example.com";
    private const string Kept = "keep.me@example.com";

    [Fact]
    public async Task Deletion_ByOneInstance_IsSeenByAnotherProcessAfterTheFirstStopped_AndTheSetHoldsOnlyHashes()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions
        {
            ClientCode = "acme",
            ImsClientId = ClientId,
            ImsClientSecret = ClientSecret,
            Tenant = "acme",
            ImsOrgId = OrgId,
            RequireAuthentication = false,
            PropagationDelay = TimeSpan.Zero,
        });
        emulator.SeedProfile(thirdPartyId: Erased);
        emulator.SeedProfile(thirdPartyId: Kept);
        string key = $"test:{Guid.NewGuid():N}:suppressed";

        // The first instance requests the deletion (which puts the id on the shared list), then stops.
        await using (var first = CreateInstance(emulator, key))
        {
            var job = await first.GetRequiredService<IProfilePrivacyClient>().RequestDeletionAsync(ProfileId.FromThirdPartyId(Erased), PrivacyRegulation.Gdpr);
            Assert.Equal(PrivacyAction.Delete, job.Action);
        }

        // A new instance in another process: the erased person is refused before sending, the other is sent.
        Assert.Equal("outcome=suppressed", await RunWorkerAsync(emulator, key, Erased));
        Assert.Equal("outcome=sent", await RunWorkerAsync(emulator, key, Kept));
        var updates = emulator.GetRequests().Where(r => r.Path.Contains("/profile/update", StringComparison.Ordinal)).ToList();
        var sent = Assert.Single(updates);
        Assert.Contains("keep.me", Uri.UnescapeDataString(sent.RawQuery + sent.RawBody), StringComparison.Ordinal);

        // Redis holds one keyed hash, never the id in any form.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var members = await admin.GetDatabase().SetMembersAsync(key);
        var member = Assert.Single(members).ToString();
        Assert.Equal(new ProfileIdHasher(Secret).Hash(ProfileId.FromThirdPartyId(Erased)), member);
        Assert.Matches("^[0-9A-F]{64}$", member);
        Assert.Null(await admin.GetDatabase().KeyTimeToLiveAsync(key));
    }

    [Fact]
    public async Task TwoInstances_InOneProcess_ShareAdditionsAndRemovals()
    {
        string key = $"test:{Guid.NewGuid():N}:suppressed";
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "acme", PropagationDelay = TimeSpan.Zero });
        await using var a = CreateInstance(emulator, key);
        await using var b = CreateInstance(emulator, key);
        var id = ProfileId.FromPcId("pc-erased-1");

        await a.GetRequiredService<ISuppressionList>().AddAsync([id]);
        bool seenByB = await b.GetRequiredService<ISuppressionList>().ContainsAsync(id);
        bool removedByB = await b.GetRequiredService<ISuppressionList>().RemoveAsync(id);
        bool stillSeenByA = await a.GetRequiredService<ISuppressionList>().ContainsAsync(id);

        Assert.True(seenByB);
        Assert.True(removedByB);
        Assert.False(stillSeenByA);
    }

    [Fact]
    public async Task Update_WhenRedisIsDown_FailsClosed_SendsNothing_AndNamesNoHash()
    {
        using var down = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "acme", PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: Kept);
        var collection = new ServiceCollection();
        collection.AddTargetProfileUpdate(o =>
        {
            RedisClients.Configure(o, emulator.BaseAddress, emulator.ClientCode);
            o.Privacy.HashSecret = Secret;
        }).UseRedisSuppressionList(r =>
        {
            r.ConnectionString = down.ConnectionString;
            r.OperationTimeout = TimeSpan.FromSeconds(2);
        });
        await using var services = collection.BuildServiceProvider();
        var client = services.GetRequiredService<IProfileUpdateClient>();
        down.Kill();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Kept).Set("tier", "gold")));

        Assert.Equal(ProfileApiFailureReason.SuppressionListUnavailable, ex.Reason);
        Assert.True(ex.IsTransient);
        Assert.Equal(0, ex.Attempts);
        Assert.DoesNotContain(emulator.GetRequests(), r => r.Path.Contains("/profile/update", StringComparison.Ordinal));
        string text = ex.ToString();
        Assert.DoesNotContain("keep.me", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(new ProfileIdHasher(Secret).Hash(ProfileId.FromThirdPartyId(Kept)), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Update_ByAnInstanceWithAnotherHashSecret_IsRefusedBeforeSending_InsteadOfMissingTheErasedPerson()
    {
        // Before the fix the list did not record which secret wrote it: an instance with another secret hashed the id
        // differently, found nothing, and sent the erased person's update.
        const string OtherSecret = "another-suppression-secret-0123456789abcdef";
        string key = $"test:{Guid.NewGuid():N}:suppressed";
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "acme", PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: Erased);
        await using var writer = CreateInstance(emulator, key);
        await writer.GetRequiredService<ISuppressionList>().AddAsync([ProfileId.FromThirdPartyId(Erased)]);
        await using var misconfigured = CreateInstance(emulator, key, OtherSecret);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => misconfigured.GetRequiredService<IProfileUpdateClient>().UpdateAsync(ProfileUpdate.ForThirdPartyId(Erased).Set("tier", "gold")));
        var addEx = await Assert.ThrowsAnyAsync<ProfileApiException>(async () => await misconfigured.GetRequiredService<ISuppressionList>().AddAsync([ProfileId.FromThirdPartyId(Kept)]));

        Assert.DoesNotContain(emulator.GetRequests(), r => r.Path.Contains("/profile/update", StringComparison.Ordinal));
        Assert.Equal(ProfileApiFailureReason.SuppressionListSecretMismatch, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Equal(0, ex.Attempts);
        Assert.Contains("Privacy:HashSecret", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ProfileApiFailureReason.SuppressionListSecretMismatch, addEx.Reason);
        foreach (string text in new[] { ex.ToString(), addEx.ToString() })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(OtherSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("erase.me", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("keep.me", text, StringComparison.OrdinalIgnoreCase);
        }

        // The fingerprint, written by the first addition, reveals nothing; the misconfigured instance added nothing.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = admin.GetDatabase();
        Assert.Equal(new ProfileIdHasher(Secret).SecretFingerprint, (string?)await db.StringGetAsync(key + ":secret-fingerprint"));
        Assert.DoesNotContain(Secret, new ProfileIdHasher(Secret).SecretFingerprint, StringComparison.Ordinal);
        Assert.Equal(1, await db.SetLengthAsync(key));

        // The writer's own instances still read the list.
        Assert.True(await writer.GetRequiredService<ISuppressionList>().ContainsAsync(ProfileId.FromThirdPartyId(Erased)));
    }

    [Fact]
    public async Task Update_AgainstAListWrittenWithoutAFingerprint_IsRefusedBeforeSending_NotAdopted()
    {
        // A set written before fingerprints were recorded cannot be shown to match the secret: it is refused (with how to
        // stamp it), never silently adopted.
        string key = $"test:{Guid.NewGuid():N}:suppressed";
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await admin.GetDatabase().SetAddAsync(key, new ProfileIdHasher(Secret).Hash(ProfileId.FromThirdPartyId(Erased)));
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "acme", PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: Kept);
        await using var instance = CreateInstance(emulator, key);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => instance.GetRequiredService<IProfileUpdateClient>().UpdateAsync(ProfileUpdate.ForThirdPartyId(Kept).Set("tier", "gold")));
        var addEx = await Assert.ThrowsAnyAsync<ProfileApiException>(async () => await instance.GetRequiredService<ISuppressionList>().AddAsync([ProfileId.FromThirdPartyId(Kept)]));

        Assert.DoesNotContain(emulator.GetRequests(), r => r.Path.Contains("/profile/update", StringComparison.Ordinal));
        Assert.Equal(ProfileApiFailureReason.SuppressionListSecretMismatch, ex.Reason);
        Assert.Equal(ProfileApiFailureReason.SuppressionListSecretMismatch, addEx.Reason);
        Assert.Contains(key + ":secret-fingerprint", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.False(await admin.GetDatabase().KeyExistsAsync(key + ":secret-fingerprint"));
        Assert.Equal(1, await admin.GetDatabase().SetLengthAsync(key));
    }

    private ServiceProvider CreateInstance(TargetEmulator emulator, string key, string secret = Secret)
    {
        var collection = new ServiceCollection();
        collection.AddTargetProfileUpdate(o =>
        {
            RedisClients.Configure(o, emulator.BaseAddress, emulator.ClientCode);
            o.AdobeIms.ClientId = ClientId;
            o.AdobeIms.ClientSecret = ClientSecret;
            o.AdobeIms.Scopes = "openid,AdobeID";
            o.AdobeIms.Tenant = "acme";
            o.AdobeIms.ImsTokenEndpoint = new Uri(emulator.BaseAddress, "ims/token/v3");
            o.AdobeIms.AdminApiBaseAddress = emulator.BaseAddress;
            o.Privacy.ImsOrgId = OrgId;
            o.Privacy.BaseAddress = emulator.BaseAddress;
            o.Privacy.HashSecret = secret;
        }).UseRedisSuppressionList(r =>
        {
            r.ConnectionString = redis.ConnectionString;
            r.Key = key;
            r.OperationTimeout = TimeSpan.FromSeconds(10);
        });
        return collection.BuildServiceProvider();
    }

    private async Task<string> RunWorkerAsync(TargetEmulator emulator, string key, string thirdPartyId)
    {
        using var process = ChildProcess.DotnetExec(
            typeof(RedisSuppressionListTests).Assembly.Location,
            [SuppressionWorker.Command, emulator.BaseAddress.ToString(), emulator.ClientCode, redis.ConnectionString, key, Secret, thirdPartyId]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var (exitCode, text, error) = await process.WaitForExitAsync(timeout.Token);
        Assert.True(exitCode == 0, $"Worker exited with {exitCode}: {text} {error}");
        return text.Trim();
    }
}
