using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests.Suppression;

/// <summary>
/// Another service instance in its own OS process: the DI-registered SDK with <c>UseRedisSuppressionList</c> sends one update
/// for a third-party id to the emulator and prints <c>outcome=suppressed</c>, <c>outcome=sent</c> or <c>outcome=failed:{reason}</c>.
/// </summary>
internal static class SuppressionWorker
{
    public const string Command = "suppression-worker";

    public static async Task<int> RunAsync(Uri emulator, string clientCode, string redis, string key, string secret, string thirdPartyId)
    {
        var collection = new ServiceCollection();
        collection.AddTargetProfileUpdate(o =>
        {
            RedisClients.Configure(o, emulator, clientCode);
            o.Privacy.HashSecret = secret;
        }).UseRedisSuppressionList(r =>
        {
            r.ConnectionString = redis;
            r.Key = key;
            r.OperationTimeout = TimeSpan.FromSeconds(10);
        });
        await using var services = collection.BuildServiceProvider();
        var client = services.GetRequiredService<IProfileUpdateClient>();
        try
        {
            await client.UpdateAsync(ProfileUpdate.ForThirdPartyId(thirdPartyId).Set("tier", "gold"));
            Console.WriteLine("outcome=sent");
        }
        catch (ProfileSuppressedException)
        {
            Console.WriteLine("outcome=suppressed");
        }
        catch (ProfileApiException ex)
        {
            Console.WriteLine("outcome=failed:" + ex.Reason);
        }

        return 0;
    }
}
