using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Redis.Tests.TestSupport;

/// <summary>The real DI-registered SDK (AddTargetProfileUpdate + UseRedisLimits) pointed at an emulator and a real Redis.</summary>
public static class RedisClients
{
    /// <summary>Registers the default account against <paramref name="emulatorAddress"/> with Redis limits.</summary>
    public static ServiceProvider Create(Uri emulatorAddress, string clientCode, Action<RedisLimitOptions> redis, Action<IServiceCollection>? services = null, Action<TargetProfileUpdateOptions>? account = null)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        collection.AddTargetProfileUpdate(o =>
        {
            Configure(o, emulatorAddress, clientCode);
            account?.Invoke(o);
        }).UseRedisLimits(redis);
        return collection.BuildServiceProvider();
    }

    public static void Configure(TargetProfileUpdateOptions options, Uri emulatorAddress, string clientCode)
    {
        options.ClientCode = clientCode;
        options.BaseAddress = emulatorAddress;
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
    }

    /// <summary>Seeds the profiles <see cref="Updates"/> writes to, so every accepted update is applied (and counted) by the emulator.</summary>
    public static void Seed(TargetEmulator emulator)
    {
        for (int p = 0; p < Profiles; p++)
        {
            emulator.SeedProfile(thirdPartyId: "crm-" + p);
        }
    }

    public static IEnumerable<ProfileUpdate> Updates(int count) =>
        Enumerable.Range(0, count).Select(i => ProfileUpdate.ForThirdPartyId("crm-" + (i % Profiles)).Set("n", i));

    private const int Profiles = 50;
}
