using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests.Delivery;

/// <summary>
/// The child process of <see cref="RedisDeliveryStoreTests.Restart_ProcessKilledWhile300UpdatesPending_AllDeliveredAfterRestart"/>:
/// a service instance with <c>Defer</c> and the Redis store (no host, so no re-check runs) that defers COUNT updates for
/// profiles that do not exist yet, prints its accounting, and then waits to be killed.
/// </summary>
public static class DeliveryWorkerProcess
{
    public static string Id(int i) => "late-" + i.ToString("D4", CultureInfo.InvariantCulture);

    public static IEnumerable<ProfileUpdate> Updates(int count) =>
        Enumerable.Range(0, count).Select(i => ProfileUpdate.ForThirdPartyId(Id(i)).Set("n", i));

    public static async Task<int> DeferAndWaitAsync(Uri emulator, string clientCode, string redis, string prefix, int count)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => RedisClients.Configure(o, emulator, clientCode))
            .UseDeliveryAssurance(o => o.UnknownProfiles = UnknownProfileHandling.Defer)
            .UseRedisDeliveryStore(o =>
            {
                o.ConnectionString = redis;
                o.KeyPrefix = prefix;
            });
        await using var provider = services.BuildServiceProvider();
        var result = await provider.GetRequiredService<IProfileUpdateClient>().UpdateManyAsync(Updates(count));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deferred={result.Deferred} accepted={result.Accepted} failed={result.Failed}"));
        await Task.Delay(Timeout.Infinite); // the worker process waits to be killed by the test: not a sleep
        return 0;
    }
}
