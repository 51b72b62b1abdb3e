using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests.DependencyInjection;

[Trait("Category", "Slow")] // a real redis-server
public sealed class UseRedisLimitsTests
{
    /// <summary>
    /// Tests that count permits in Redis exactly must not fall back to the local limit because one Lua call took longer
    /// than the 250 ms default under a loaded test run (a fall-back grant is correct behaviour, but not counted in Redis).
    /// </summary>
    private static readonly TimeSpan ExactCountTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task TwoNamedAccounts_GetTheirOwnKeysFromTheirClientCodes_AndTheirOwnLimits()
    {
        using var redis = new RedisServer();
        await using var acme = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        await using var globex = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "globex" });
        RedisClients.Seed(acme);
        RedisClients.Seed(globex);
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate("a", o => { RedisClients.Configure(o, acme.BaseAddress, "acme"); o.Quota.PermitLimit = 5; })
            .UseRedisLimits(o => { o.ConnectionString = redis.ConnectionString; o.OperationTimeout = ExactCountTimeout; });
        services.AddTargetProfileUpdate("b", o => { RedisClients.Configure(o, globex.BaseAddress, "globex"); o.Quota.PermitLimit = 7; })
            .UseRedisLimits(o => { o.ConnectionString = redis.ConnectionString; o.OperationTimeout = ExactCountTimeout; });
        await using ServiceProvider provider = services.BuildServiceProvider();

        ProfileBatchResult a = await provider.GetRequiredKeyedService<IProfileUpdateClient>("a").UpdateManyAsync(RedisClients.Updates(12));
        ProfileBatchResult b = await provider.GetRequiredKeyedService<IProfileUpdateClient>("b").UpdateManyAsync(RedisClients.Updates(12));

        Assert.Equal((5, 7), (a.Accepted, a.Failed));
        Assert.Equal((7, 5), (b.Accepted, b.Failed));
        Assert.All(a.Failures.Concat(b.Failures), f => Assert.IsType<ProfileApiRateLimitedException>(f.Exception));
        Assert.Equal((5, 7), (acme.AppliedUpdates, globex.AppliedUpdates));
        Assert.Equal("targetprofileupdate:acme:", provider.GetRequiredKeyedService<RedisAccountLimits>("a").KeyPrefix);
        Assert.Equal("targetprofileupdate:globex:", provider.GetRequiredKeyedService<RedisAccountLimits>("b").KeyPrefix);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        Dictionary<string, TimeSpan?> keys = await Limits.KeysAsync(admin, "targetprofileupdate:");
        Assert.Equal(["targetprofileupdate:acme:quota", "targetprofileupdate:globex:quota"], keys.Keys.Order(StringComparer.Ordinal));
        Assert.All(keys.Values, ttl => Assert.NotNull(ttl));
        Assert.Equal(5, await Limits.CountedAsync(admin, "targetprofileupdate:acme:quota"));
        Assert.Equal(7, await Limits.CountedAsync(admin, "targetprofileupdate:globex:quota"));
    }

    [Fact]
    public async Task MultiplexerFromTheApplicationsServices_IsUsed_AndStillOpenAfterTheContainerIsDisposed()
    {
        using var redis = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        RedisClients.Seed(emulator);
        await using ConnectionMultiplexer application = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        int factoryCalls = 0;
        ServiceProvider provider = RedisClients.Create(
            emulator.BaseAddress,
            "acme",
            o =>
            {
                o.OperationTimeout = ExactCountTimeout;
                o.ConnectionMultiplexerFactory = sp =>
                {
                    Interlocked.Increment(ref factoryCalls);
                    return sp.GetRequiredService<IConnectionMultiplexer>();
                };
            },
            s => s.AddSingleton<IConnectionMultiplexer>(application));

        ProfileBatchResult result = await provider.GetRequiredService<IProfileUpdateClient>().UpdateManyAsync(RedisClients.Updates(3));
        long operationsBefore = application.OperationCount;
        await provider.DisposeAsync();

        Assert.True(result.Accepted == 3, string.Join(" | ", result.Failures.Select(f => f.Exception.GetType().Name + ": " + f.Exception.Message + " / " + f.Exception.InnerException?.Message)));
        Assert.Equal(1, factoryCalls);
        Assert.True(operationsBefore >= 3, $"The application's multiplexer ran {operationsBefore} operations.");
        Assert.True(application.IsConnected);
        Assert.Equal(3, (long)await application.GetDatabase().HashGetAsync("targetprofileupdate:acme:quota", "t"));
    }

    [Fact]
    public async Task MultiplexerMadeFromTheConnectionString_IsClosedWhenTheContainerIsDisposed()
    {
        using var redis = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        RedisClients.Seed(emulator);
        ServiceProvider provider = RedisClients.Create(emulator.BaseAddress, "acme", o => o.ConnectionString = redis.ConnectionString + ",name=tpu-limits-owned");
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);

        await provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(RedisClients.Updates(1).Single());
        Assert.True(await ClientsNamedAsync(admin, "tpu-limits-owned") > 0);
        await provider.DisposeAsync();

        var deadline = Stopwatch.StartNew();
        while (await ClientsNamedAsync(admin, "tpu-limits-owned") > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The package's own connection was still open 10 s after the container was disposed.");
            await Task.Delay(50); // polls redis-server's CLIENT LIST (no fake clock): the server raises no event when a client leaves
        }
    }

    [Fact]
    public async Task CalledTwice_RegistersOneLimitsPerAccount_WithBothConfigurations()
    {
        using var redis = new RedisServer();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => o.ClientCode = "acme")
            .UseRedisLimits(o => o.ConnectionString = redis.ConnectionString)
            .UseRedisLimits(o => o.KeyPrefix = "other:{clientCode}:");
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(RedisAccountLimits));
        Assert.Equal("other:acme:", provider.GetRequiredKeyedService<RedisAccountLimits>(Options.DefaultName).KeyPrefix);
    }

    [Fact]
    public async Task WithoutAConnection_ResolvingTheClientFails_NamingTheSetting_BeforeAnythingIsSent()
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => o.ClientCode = "acme").UseRedisLimits(o => o.OperationTimeout = TimeSpan.FromSeconds(1));
        await using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IProfileUpdateClient>);

        Assert.Contains("RedisLimitOptions.ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<int> ClientsNamedAsync(ConnectionMultiplexer admin, string name)
    {
        ClientInfo[] clients = await admin.GetServers().Single().ClientListAsync();
        return clients.Count(c => c.Name == name);
    }
}
