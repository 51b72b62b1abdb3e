using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;
using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.Redis.Tests.Delivery;

/// <summary>The Redis pending store (issue #21 item 1) against a real redis-server and the emulator.</summary>
[Trait("Category", "Slow")]
public sealed class RedisDeliveryStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Restart_ProcessKilledWhile300UpdatesPending_AllDeliveredAfterRestart()
    {
        // Zero propagation delay: the test reads what was applied right after the pass.
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero });
        string prefix = Prefix();
        string line;
        using (var process = ChildProcess.DotnetExec(
            typeof(RedisDeliveryStoreTests).Assembly.Location,
            [Program.DeferWorkerCommand, emulator.BaseAddress.ToString(), emulator.ClientCode, redis.ConnectionString, prefix, "300"]))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            line = await process.FirstLineAsync(timeout.Token) ?? (await process.WaitForExitAsync(timeout.Token)).Error;

            // Killed by its id while the 300 updates are pending (it never re-checks: it has no host).
            process.Kill();
        }

        Assert.Equal("deferred=300 accepted=0 failed=0", line);
        Assert.Empty(UpdatesPerId(emulator));
        for (int i = 0; i < 300; i++)
        {
            emulator.SeedProfile(thirdPartyId: DeliveryWorkerProcess.Id(i));
        }

        // The restarted instance: same store, a clock past the re-check interval.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(16));
        await using var restarted = Instance(emulator, prefix, time);
        var before = await restarted.GetRequiredKeyedService<IProfileDeliveryStore>(string.Empty).GetStatisticsAsync();
        var pass = await restarted.GetRequiredKeyedService<ProfileDeliveryWorker>(string.Empty).RunOnceAsync();
        var after = await restarted.GetRequiredKeyedService<IProfileDeliveryStore>(string.Empty).GetStatisticsAsync();

        Assert.Equal(300, before.PendingUpdates);
        Assert.Equal(300, pass.Delivered);
        Assert.Equal(0, after.PendingUpdates);
        Assert.Null(after.OldestDeferredAt);
        var perId = UpdatesPerId(emulator);
        Assert.Equal(300, perId.Count);
        Assert.All(perId.Values, n => Assert.Equal(1, n));
        Assert.Equal(300, emulator.AppliedUpdates);
        await AssertNoKeysLeftAsync(prefix);
    }

    [Fact]
    public async Task TwoInstances_RecheckingConcurrently_SendEachPendingUpdateExactlyOnceInOrder()
    {
        var time = new FakeTimeProvider(Start);
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = time, MaxRecordedRequests = 100_000, PropagationDelay = TimeSpan.Zero });
        string prefix = Prefix();
        await using var a = Instance(emulator, prefix, time);
        await using var b = Instance(emulator, prefix, time);

        // 400 ids: 300 with one update, 100 with two (sent by either instance, in order).
        var updates = Enumerable.Range(0, 400).Select(i => ProfileUpdate.ForThirdPartyId(Id(i)).Set("step", 0))
            .Concat(Enumerable.Range(300, 100).Select(i => ProfileUpdate.ForThirdPartyId(Id(i)).Set("step", 1)));
        var deferred = await a.GetRequiredService<IProfileUpdateClient>().UpdateManyAsync(updates, new ProfileBatchOptions { MaxConcurrency = 1 });
        Assert.Equal(500, deferred.Deferred);
        for (int i = 0; i < 400; i++)
        {
            emulator.SeedProfile(thirdPartyId: Id(i));
        }

        time.Advance(TimeSpan.FromMinutes(15));
        var passes = await Task.WhenAll(
            Task.Run(() => a.GetRequiredKeyedService<ProfileDeliveryWorker>(string.Empty).RunOnceAsync()),
            Task.Run(() => b.GetRequiredKeyedService<ProfileDeliveryWorker>(string.Empty).RunOnceAsync()));

        Assert.Equal(500, passes.Sum(p => p.Delivered));
        Assert.Equal(400, passes.Sum(p => p.ProfilesChecked));
        var perId = UpdatesPerId(emulator);
        Assert.Equal(400, perId.Count);
        Assert.All(perId, p => Assert.Equal(int.Parse(p.Key[5..], CultureInfo.InvariantCulture) >= 300 ? 2 : 1, p.Value));
        foreach (int i in Enumerable.Range(300, 100))
        {
            Assert.Equal("1", emulator.FindByThirdPartyId(Id(i))!.Attributes["step"].Value);
        }

        Assert.Equal(0, (await a.GetRequiredKeyedService<ProfileDeliveryWorker>(string.Empty).RunOnceAsync()).ProfilesChecked);
        await AssertNoKeysLeftAsync(prefix);
    }

    [Fact]
    public async Task Store_ClaimsAreExclusive_AndAnExpiredClaimCannotRemoveWhatItNoLongerHolds()
    {
        await using var store = new TargetProfileUpdate.Redis.Delivery.RedisProfileDeliveryStore(
            new RedisDeliveryStoreOptions { ConnectionString = redis.ConnectionString, KeyPrefix = Prefix(), ClaimTimeout = TimeSpan.FromMinutes(5) }, "demo", capacity: 1_000);
        var id = ProfileId.FromThirdPartyId("crm-1");
        await store.AddAsync(new PendingProfileUpdate(ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "1"), Start), Start);
        Assert.True(await store.AppendIfPendingAsync(new PendingProfileUpdate(ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "2"), Start.AddMinutes(1))));
        Assert.False(await store.AppendIfPendingAsync(new PendingProfileUpdate(ProfileUpdate.ForThirdPartyId("crm-2").Set("a", "1"), Start)));

        var first = await store.ClaimDueAsync(Start, 10);
        var second = await store.ClaimDueAsync(Start, 10);
        var afterTimeout = await store.ClaimDueAsync(Start.AddMinutes(6), 10);

        var claim = Assert.Single(first);
        Assert.Equal(id, claim.Id);
        Assert.Equal(["1", "2"], claim.Updates.Select(u => u.Update.Attributes["a"]));
        Assert.Empty(second);
        var takenOver = Assert.Single(afterTimeout);
        Assert.False(await store.RemoveAsync(claim, 1));
        Assert.True(await store.RemoveAsync(takenOver, 1));
        var statistics = await store.GetStatisticsAsync();
        Assert.Equal(1, statistics.PendingUpdates);
        Assert.Equal(Start.AddMinutes(1), statistics.OldestDeferredAt);
    }

    private static string Id(int i) => "twin-" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static string Prefix() => $"test:{Guid.NewGuid():N}:{{{{clientCode}}}}:delivery:";

    private ServiceProvider Instance(TargetEmulator emulator, string prefix, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddTargetProfileUpdate(o =>
        {
            RedisClients.Configure(o, emulator.BaseAddress, emulator.ClientCode);
            o.Resilience.MaxRetryAttempts = 0;
        })
            .UseDeliveryAssurance(o =>
            {
                o.UnknownProfiles = UnknownProfileHandling.Defer;
                o.RecheckConcurrency = 2;
            })
            .UseRedisDeliveryStore(o =>
            {
                o.ConnectionString = redis.ConnectionString;
                o.KeyPrefix = prefix;
            });
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, int> UpdatesPerId(TargetEmulator emulator)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in emulator.GetRequests().Where(r => r.Path.EndsWith("/profile/update", StringComparison.Ordinal)))
        {
            string form = request.Method == "GET" ? request.RawQuery : request.RawBody;
            string id = form.Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "mbox3rdPartyId")[1];
            counts[Uri.UnescapeDataString(id)] = counts.GetValueOrDefault(Uri.UnescapeDataString(id)) + 1;
        }

        return counts;
    }

    private async Task AssertNoKeysLeftAsync(string prefix)
    {
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        var keys = await Limits.KeysAsync(admin, prefix.Replace("{{clientCode}}", "{demo}", StringComparison.Ordinal));
        Assert.Equal(["count"], keys.Keys.Select(k => k[(k.LastIndexOf(':') + 1)..]));
    }
}
