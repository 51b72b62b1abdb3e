using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Requests per second, latency, client CPU and bytes allocated per update (the whole client process), for the
/// hand-written baseline and the SDK as users run it, against a byte-checking loopback server in another process.
/// Every variant builds its request from the same source data (an id and 10 attributes) on every send: the baseline
/// its query string, the SDK a new <see cref="ProfileUpdate"/> with <c>Set</c> calls. The SDK rows are the
/// user's path (DI registration, default pipeline and quota) and its ablations; "same updates reused" is an extra
/// row only (what the old benchmark measured). Variants are interleaved round by round (their order rotating) and
/// compared as a paired ratio per round; the median over rounds is reported.
/// </summary>
internal static class ThroughputBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = BenchmarkServer.Option(args, "--rounds", 5);
        double seconds = BenchmarkServer.Option(args, "--seconds", 3.0);
        int[] concurrencies = BenchmarkServer.OptionList(args, "--concurrency", [1, 64]);

        await using var server = BenchmarkServer.Start();
        var address = server.Address;
        var attributes = BenchmarkData.Attributes(10);
        var ids = Enumerable.Range(0, BenchmarkServer.Ids).Select(BenchmarkData.Id).ToArray();
        var reused = ids.Select(id => BenchmarkData.Update(id, attributes)).ToArray();
        using var baselineClient = new HttpClient();
        string updateUrl = address + "m2/" + BenchmarkData.ClientCode + "/profile/update?";

        var providers = new List<ServiceProvider>();
        IProfileUpdateClient FromDi(bool resilience, bool quota)
        {
            var services = new ServiceCollection();
            services.AddTargetProfileUpdate(o =>
            {
                o.ClientCode = BenchmarkData.ClientCode;
                o.BaseAddress = address;
                o.Resilience.Enabled = resilience;
                o.Quota.Enabled = quota;
            });
            var provider = services.BuildServiceProvider();
            providers.Add(provider);
            return provider.GetRequiredService<IProfileUpdateClient>();
        }

        var sdkDefaults = FromDi(resilience: true, quota: true);
        using var sdkConstructor = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = BenchmarkData.ClientCode, BaseAddress = address });
        var sdkQuotaOff = FromDi(resilience: true, quota: false);
        var sdkResilienceOff = FromDi(resilience: false, quota: true);
        var sdkBothOff = FromDi(resilience: false, quota: false);
        var sdkReused = FromDi(resilience: true, quota: true);

        Func<int, Task> Sdk(IProfileUpdateClient client) => i =>
        {
            int k = i % ids.Length;
            return client.UpdateAsync(BenchmarkData.Update(ids[k], attributes));
        };

        var variants = new (string Name, Func<int, Task> Send)[]
        {
            ("hand-written baseline", async i =>
            {
                int k = i % ids.Length;
                using var response = await baselineClient.GetAsync(updateUrl + BenchmarkData.HandWrittenQuery(ids[k], attributes));
                string body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || !body.StartsWith("true", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("The server rejected the baseline's request: " + body);
                }
            }),
            ("SDK: DI, defaults (what users run)", Sdk(sdkDefaults)),
            ("SDK: non-DI constructor, defaults", Sdk(sdkConstructor)),
            ("SDK: DI, quota off", Sdk(sdkQuotaOff)),
            ("SDK: DI, resilience off", Sdk(sdkResilienceOff)),
            ("SDK: DI, resilience and quota off", Sdk(sdkBothOff)),
            ("extra: DI, defaults, same updates reused", i => sdkReused.UpdateAsync(reused[i % reused.Length])),
        };

        try
        {
            Console.WriteLine($"Throughput: {rounds} interleaved rounds of {seconds.ToString(Inv)} s per variant; GET, id + 10 attributes ({updateUrl.Length + BenchmarkData.HandWrittenQuery(ids[0], attributes).Length}-byte URL), request built from the source data on every send; server in a separate process.");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}");

            // Correctness first: every variant's request is verified by the server before anything is timed.
            foreach (var (_, send) in variants)
            {
                for (int i = 0; i < ids.Length; i++)
                {
                    await send(i);
                }
            }

            Console.WriteLine("Correctness: every variant's requests verified byte-for-byte by the server.");
            foreach (int concurrency in concurrencies)
            {
                await RunConcurrencyAsync(variants, concurrency, rounds, seconds);
            }
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }

        return 0;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task RunConcurrencyAsync((string Name, Func<int, Task> Send)[] variants, int concurrency, int rounds, double seconds)
    {
        // Warm-up: JIT, tiering and connection pools.
        foreach (var (_, send) in variants)
        {
            await MeasureAsync(send, concurrency, Math.Min(1.0, seconds));
        }

        var results = variants.Select(_ => new List<Measurement>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int j = 0; j < variants.Length; j++)
            {
                int v = (j + round) % variants.Length;
                results[v].Add(await MeasureAsync(variants[v].Send, concurrency, seconds));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Concurrency {concurrency} (medians over {rounds} rounds; ratio = paired requests/s against the baseline in the same round; bytes = GC.GetTotalAllocatedBytes(precise) delta of the whole client process / updates)");
        Console.WriteLine($"| {"variant",-42} | {"req/s",8} | {"ratio",5} | {"p50 µs",8} | {"p99 µs",8} | {"B/update",8} | {"CPU µs/update",13} |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (int v = 0; v < variants.Length; v++)
        {
            var r = results[v];
            double ratio = Median(r.Select((m, round) => m.RequestsPerSecond / results[0][round].RequestsPerSecond));
            Console.WriteLine(string.Create(Inv,
                $"| {variants[v].Name,-42} | {Median(r.Select(m => m.RequestsPerSecond)),8:0} | {ratio,5:0.00} | {Median(r.Select(m => m.P50Micros)),8:0.0} | {Median(r.Select(m => m.P99Micros)),8:0.0} | {Median(r.Select(m => m.BytesPerUpdate)),8:0} | {Median(r.Select(m => m.CpuMicrosPerUpdate)),13:0.0} |"));
        }
    }

    private static async Task<Measurement> MeasureAsync(Func<int, Task> send, int concurrency, double seconds)
    {
        var latencies = new long[concurrency][];
        var counts = new int[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            latencies[w] = new long[1_000_000 / concurrency + 1000];
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        long bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        long deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.StartNew();
        int next = 0;

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w];
            int n = 0;
            while (Stopwatch.GetTimestamp() < deadline && n < mine.Length)
            {
                long t0 = Stopwatch.GetTimestamp();
                await send(Interlocked.Increment(ref next));
                mine[n++] = Stopwatch.GetTimestamp() - t0;
            }

            counts[w] = n;
        })));

        double elapsed = started.Elapsed.TotalSeconds;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds;
        int total = counts.Sum();
        var all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++)
        {
            Array.Copy(latencies[w], 0, all, at, counts[w]);
            at += counts[w];
        }

        Array.Sort(all);
        double ticksToMicros = 1_000_000.0 / Stopwatch.Frequency;
        return new Measurement(
            total / elapsed,
            all[total / 2] * ticksToMicros,
            all[Math.Min(total - 1, (int)(total * 0.99))] * ticksToMicros,
            (double)bytes / total,
            cpu / total);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Measurement(double RequestsPerSecond, double P50Micros, double P99Micros, double BytesPerUpdate, double CpuMicrosPerUpdate);
}
