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
    // Measured 2026-12-02 on the fair path (DI client, a new 10-attribute update per send), the same in every process:
    //   GET with resilience:    .NET 10.0.12 4,800 B, .NET 8.0.31 4,856 B;
    //   GET without resilience: .NET 10.0.12 4,192 B, .NET 8.0.31 4,248 B;
    //   POST with resilience:   2,608 B on both.
    // The budgets are 40 B over that. e00d35b (before the call envelope) allocated 4,840 B per GET on .NET 10, and the
    // envelope's first version 4,896 B: Polly copies the pipeline state into each strategy's async state machine, and that
    // state was a four-field tuple around a 32-byte request struct. A change that adds one small object fails. To re-measure,
    // set a budget to 0: the failure message prints the runtime and the bytes.
#if NET10_0_OR_GREATER
    private const int GetBudgetResilienceOn = 4840;
    private const int GetBudgetResilienceOff = 4232;
#else
    private const int GetBudgetResilienceOn = 4896;
    private const int GetBudgetResilienceOff = 4288;
#endif
    private const int PostBudgetResilienceOn = 2648;

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

        // Asynchronous completion, as on a real socket: each await in the chain then really suspends. 20,000 updates bring the
        // path to its steady state (tier-1 code, warm pools).
        Task.Run(async () =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                await client.UpdateAsync(NewUpdate());
            }
        }).GetAwaiter().GetResult();

        // Background work of the process can only add bytes, never remove them: the cost is the least run, taken once three
        // runs in a row have not lowered it. A collection before each run makes the count the same in every process: without
        // it, most processes counted 2,112 B more per GET (2,016 B per POST) in every run, which no budget could tell from a regression.
        const int N = 20_000;
        double least = double.MaxValue;
        for (int run = 0, steady = 0; run < 30 && steady < 3; run++)
        {
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Task.Run(async () =>
            {
                for (int i = 0; i < N; i++)
                {
                    await client.UpdateAsync(NewUpdate());
                }
            }).GetAwaiter().GetResult();
            double bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)N;
            steady = bytes < least - 1 ? 0 : steady + 1;
            least = Math.Min(least, bytes);
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
    public void UpdateAsync_GetWithTenAttributes_AllocatesNoMoreThanBeforeTheCallEnvelope_WidePipelineStateCopiedIntoEveryStrategy()
    {
        double bytes = MeasureBytesPerUpdate(resilience: true, ProfileUpdateMethod.Get);

        Assert.True(bytes <= GetBudgetResilienceOn, $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} GET with resilience allocated {bytes:0} bytes per update; budget {GetBudgetResilienceOn}.");
    }

    [Fact]
    public void UpdateAsync_GetWithoutResilience_StaysWithinItsAllocationBudget()
    {
        double bytes = MeasureBytesPerUpdate(resilience: false, ProfileUpdateMethod.Get);

        Assert.True(bytes <= GetBudgetResilienceOff, $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} GET without resilience allocated {bytes:0} bytes per update; budget {GetBudgetResilienceOff}.");
    }

    [Fact]
    public void UpdateAsync_PostWithTenAttributes_StaysWithinItsAllocationBudget()
    {
        double bytes = MeasureBytesPerUpdate(resilience: true, ProfileUpdateMethod.Post);

        Assert.True(bytes <= PostBudgetResilienceOn, $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} POST with resilience allocated {bytes:0} bytes per update; budget {PostBudgetResilienceOn}.");
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
