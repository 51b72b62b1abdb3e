using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Performance;

/// <summary>
/// Allocation regression guard on the path users run: the DI-registered client with its defaults (handler chain,
/// resilience pipeline, quota guard) and a new <see cref="ProfileUpdate"/> built with <c>Set</c> for every send, against an
/// in-memory handler, so every byte is counted on this process. The handler completes asynchronously, as a socket does, so every await in the chain really suspends.
/// Allocations are deterministic; timings are not and live in tests/TargetProfileUpdate.Benchmarks. The class runs
/// alone (its collection disables parallelization), so other tests' allocations are not counted.
/// </summary>
[Collection(AllocationTestGroup.Name)]
public sealed class AllocationBudgetTests
{
    // Measured 2026-11-25 on .NET 10 with Polly.Core 8.6.5, on the fair path (DI client, a new 10-attribute update per
    // send): GET 6952 / 6328 bytes (resilience on / off), POST 4664 bytes. About 1.3 KB of a GET is the update itself and
    // 2.3 KB its URL string and Uri. The budgets leave ~250 bytes for runtime noise, so a change that adds a few hundred bytes fails.
    private const int GetBudgetResilienceOn = 7200;
    private const int GetBudgetResilienceOff = 6600;
    private const int PostBudgetResilienceOn = 4900;

    private static readonly (string, string)[] Attributes =
    [
        ("loyaltyTier", "gold"), ("lifetimeValue", "1234.50"), ("lastStore", "Zürich Hauptbahnhof"),
        ("lastContactTopic", "Hypothekenverlängerung und Zinsbindung"), ("preferredLanguage", "de-CH"),
        ("segment", "Premium Kunden — Region Süd"), ("visits", "42"), ("lastVisit", "2026-11-23T18:59:37.0000000+01:00"),
        ("newsletter", "true"), ("favouriteCategory", "Küche & Haushalt"),
    ];

    public static double MeasureBytesPerUpdate(bool resilience, ProfileUpdateMethod method)
    {
        using var provider = TestClients.CreateProvider(new SyncHandler(), o =>
        {
            o.ClientCode = "bench";
            o.Method = method;
            o.Resilience.Enabled = resilience;
            o.Quota.PermitLimit = int.MaxValue;
        });
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        // Asynchronous completion, as on a real socket: each await in the chain then really suspends.
        Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await client.UpdateAsync(NewUpdate());
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
                    await client.UpdateAsync(NewUpdate());
                }
            }).GetAwaiter().GetResult();
            least = Math.Min(least, (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)N);
        }

        return least;
    }

    /// <summary>A new update per send, built from the same source data, as a backend builds one per event.</summary>
    private static ProfileUpdate NewUpdate()
    {
        var update = ProfileUpdate.ForThirdPartyId("crm-0000000042");
        foreach (var (name, value) in Attributes)
        {
            update.Set(name, value);
        }

        return update;
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
