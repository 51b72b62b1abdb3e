using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.SharedTestSupport;

namespace TargetProfileUpdate.IntegrationTests.Regression;

/// <summary>
/// Regression (issue 9): 1,000 concurrent updates opened 1,000 TCP connections. The SDK's handler now caps connections
/// per server at <see cref="TargetProfileUpdateOptions.MaxConnectionsPerServer"/>; the shared loopback server counts the
/// sockets it accepts.
/// </summary>
public sealed class ConnectionCapTests
{
    [Theory]
    [InlineData(8, 200)]
    [InlineData(null, 300)]
    public async Task ManyConcurrentUpdates_OpenAtMostMaxConnectionsPerServer(int? cap, int updates)
    {
        // Each answer waits 20 ms of real time (no fake clock here: the SDK's own HttpClient is on a real socket), so that
        // updates overlap and the client needs more than one connection unless the cap holds it back.
        await using var server = LoopbackServer.Start(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            return Answer;
        });
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = "demo";
            o.BaseAddress = server.BaseAddress;
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(30);
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(60);
            if (cap is { } c)
            {
                o.MaxConnectionsPerServer = c;
            }
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        var calls = Enumerable.Range(0, updates).Select(i => client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i)));
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(updates, server.Requests.Count);
        Assert.InRange(server.Accepted, 1, cap ?? 100);
    }

    /// <summary>The documented success body, on a kept-alive connection.</summary>
    private static readonly byte[] Answer = LoopbackServer.Response(200, "text/plain", "trueRequest successfully submitted");
}
