using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Which types the bytes of the real path go to: the runtime's <c>GCAllocationTick</c> events (one sample per ~100 KB
/// allocated, naming the type of the object that crossed it: proportional to bytes) caught in-process by an
/// <see cref="EventListener"/> while N updates are sent at concurrency 64 to the loopback byte-checking server.
/// <c>alloc-sample [--updates 100000] [--concurrency 64]</c>; variants: baseline, SDK DI defaults (new update per send),
/// SDK DI resilience and quota off.
/// </summary>
internal static class AllocationSampling
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        int updates = BenchmarkServer.Option(args, "--updates", 100_000);
        int concurrency = BenchmarkServer.Option(args, "--concurrency", 64);
        int top = BenchmarkServer.Option(args, "--top", 25);
        await using var server = BenchmarkServer.Start();
        var address = server.Address;
        var attributes = BenchmarkData.Attributes(10);
        var ids = Enumerable.Range(0, BenchmarkServer.Ids).Select(BenchmarkData.Id).ToArray();
        string updateUrl = address + "m2/" + BenchmarkData.ClientCode + "/profile/update?";
        using var baseline = new HttpClient();

        IProfileUpdateClient Sdk(bool on)
        {
            var services = new ServiceCollection();
            services.AddTargetProfileUpdate(o =>
            {
                o.ClientCode = BenchmarkData.ClientCode;
                o.BaseAddress = address;
                o.Resilience.Enabled = on;
                o.Quota.Enabled = on;
            });
            return services.BuildServiceProvider().GetRequiredService<IProfileUpdateClient>();
        }

        var variants = new (string Name, Func<int, Task> Send)[]
        {
            ("hand-written baseline", async i =>
            {
                using var response = await baseline.GetAsync(updateUrl + BenchmarkData.HandWrittenQuery(ids[i % ids.Length], attributes));
                _ = await response.Content.ReadAsStringAsync();
            }),
            ("SDK: DI, defaults, new update per send", SdkSend(Sdk(on: true))),
            ("SDK: DI, resilience and quota off, new update per send", SdkSend(Sdk(on: false))),
        };

        Func<int, Task> SdkSend(IProfileUpdateClient client) => i => client.UpdateAsync(BenchmarkData.Update(ids[i % ids.Length], attributes));

        Console.WriteLine($"Allocation sampling (GCAllocationTick, ~100 KB per sample, bytes attributed to the sampled type), {updates} updates per variant at concurrency {concurrency}, loopback server in its own process; load average {ThroughputBenchmark.LoadAverage()}.");
        foreach (var (name, send) in variants)
        {
            await RunLoad(send, concurrency, Math.Min(updates, 5_000)); // warm-up
            using var listener = new AllocationListener();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await RunLoad(send, concurrency, updates);
            long total = GC.GetTotalAllocatedBytes(precise: true) - before;
            listener.Stop();
            var samples = listener.Samples.ToArray();
            long sampled = samples.Sum(s => s.Value);
            Console.WriteLine();
            Console.WriteLine(string.Create(Inv, $"### {name}: {total / (double)updates:0} B/update (precise), {listener.Count} samples"));
            Console.WriteLine("| type | share | ≈ B/update |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (type, bytes) in samples.OrderByDescending(s => s.Value).Take(top))
            {
                double share = (double)bytes / sampled;
                Console.WriteLine(string.Create(Inv, $"| {type} | {100 * share:0.0}% | {share * total / updates:0} |"));
            }
        }

        return 0;
    }

    private static async Task RunLoad(Func<int, Task> send, int concurrency, int count)
    {
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await send(i);
            }
        })));
    }

    private sealed class AllocationListener : EventListener
    {
        private volatile bool _stopped;

        public ConcurrentDictionary<string, long> Samples { get; } = new(StringComparer.Ordinal);

        public long Count;

        public void Stop() => _stopped = true;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick is verbose
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (_stopped || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
            {
                return;
            }

            int typeAt = e.PayloadNames!.IndexOf("TypeName");
            int amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
            if (amountAt < 0)
            {
                amountAt = e.PayloadNames.IndexOf("AllocationAmount");
            }

            string type = typeAt >= 0 ? e.Payload[typeAt] as string ?? "?" : "?";
            long amount = amountAt >= 0 ? Convert.ToInt64(e.Payload[amountAt], CultureInfo.InvariantCulture) : 100_000;
            Samples.AddOrUpdate(type, amount, (_, v) => v + amount);
            Interlocked.Increment(ref Count);
        }
    }
}
