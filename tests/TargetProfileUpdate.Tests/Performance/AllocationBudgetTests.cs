using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace TargetProfileUpdate.Tests.Performance;

/// <summary>
/// Allocation regression guard: bytes allocated per UpdateAsync through the full client (handler chain, resilience
/// pipeline, quota guard) against an in-memory handler that completes synchronously, so every byte is counted on
/// this process. The handler completes asynchronously, as a socket does, so every await in the chain really suspends.
/// Allocations are deterministic; timings are not and live in tests/TargetProfileUpdate.Benchmarks. The class runs
/// alone (its collection disables parallelization), so other tests' allocations are not counted.
/// </summary>
[Collection(AllocationTestGroup.Name)]
public sealed class AllocationBudgetTests
{
    // Measured 2026-11-23 on .NET 10.0.12 with Polly.Core 8.6.5: GET 4240 / 3320 bytes (resilience on / off),
    // POST 2112 bytes. The budgets leave ~250 bytes for runtime noise, so a change that adds a few hundred bytes fails.
    private const int GetBudgetResilienceOn = 4500;
    private const int GetBudgetResilienceOff = 3600;
    private const int PostBudgetResilienceOn = 2400;

    private static readonly (string, string)[] Attributes =
    [
        ("loyaltyTier", "gold"), ("lifetimeValue", "1234.50"), ("lastStore", "Zürich Hauptbahnhof"),
        ("lastContactTopic", "Hypothekenverlängerung und Zinsbindung"), ("preferredLanguage", "de-CH"),
        ("segment", "Premium Kunden — Region Süd"), ("visits", "42"), ("lastVisit", "2026-11-23T18:59:37.0000000+01:00"),
        ("newsletter", "true"), ("favouriteCategory", "Küche & Haushalt"),
    ];

    public static double MeasureBytesPerUpdate(bool resilience, ProfileUpdateMethod method)
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "bench", Method = method };
        options.Resilience.Enabled = resilience;
        options.Quota.PermitLimit = int.MaxValue;
        using var client = new ProfileUpdateClient(options, TimeProvider.System, NullLoggerFactory.Instance, new SyncHandler());
        var update = ProfileUpdate.ForThirdPartyId("crm-0000000042");
        foreach (var (name, value) in Attributes)
        {
            update.Set(name, value);
        }

        // Asynchronous completion, as on a real socket: each await in the chain then really suspends.
        Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await client.UpdateAsync(update);
            }
        }).GetAwaiter().GetResult();

        // Background work of the process can only add bytes, never remove them: the least of three runs is the cost.
        const int N = 2000;
        double least = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Task.Run(async () =>
            {
                for (int i = 0; i < N; i++)
                {
                    await client.UpdateAsync(update);
                }
            }).GetAwaiter().GetResult();
            least = Math.Min(least, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)N);
        }

        return least;
    }

    [Fact]
    public void UpdateAsync_GetWithTenAttributes_StaysWithinItsAllocationBudget()
    {
        double bytes = MeasureBytesPerUpdate(resilience: true, ProfileUpdateMethod.Get);

        Assert.True(bytes <= GetBudgetResilienceOn, $"GET with resilience allocated {bytes:0} bytes per update; budget {GetBudgetResilienceOn}.");
    }

    [Fact]
    public void UpdateAsync_GetWithoutResilience_StaysWithinItsAllocationBudget()
    {
        double bytes = MeasureBytesPerUpdate(resilience: false, ProfileUpdateMethod.Get);

        Assert.True(bytes <= GetBudgetResilienceOff, $"GET without resilience allocated {bytes:0} bytes per update; budget {GetBudgetResilienceOff}.");
    }

    [Fact]
    public void UpdateAsync_PostWithTenAttributes_StaysWithinItsAllocationBudget()
    {
        double bytes = MeasureBytesPerUpdate(resilience: true, ProfileUpdateMethod.Post);

        Assert.True(bytes <= PostBudgetResilienceOn, $"POST with resilience allocated {bytes:0} bytes per update; budget {PostBudgetResilienceOn}.");
    }

    private sealed class SyncHandler : HttpMessageHandler
    {
        private static readonly byte[] Success = System.Text.Encoding.ASCII.GetBytes("trueRequest successfully submitted");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Success), RequestMessage = request };
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationTestGroup
{
    public const string Name = "Allocation budgets (run alone)";
}
