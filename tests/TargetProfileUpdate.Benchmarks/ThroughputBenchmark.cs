using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Requests per second, latency, client CPU and bytes allocated per update, for the hand-written baseline and the
/// SDK (resilience on and off), against a loopback server in another process. Variants are interleaved round by
/// round (their order rotating) and compared as a paired ratio per round; the median over rounds is reported.
/// </summary>
internal static class ThroughputBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = Option(args, "--rounds", 5);
        double seconds = Option(args, "--seconds", 3.0);
        int[] concurrencies = OptionList(args, "--concurrency", [1, 64]);

        var (server, address) = BenchmarkServer.Start();
        try
        {
            var attributes = BenchmarkData.Attributes(10);
            var ids = Enumerable.Range(0, BenchmarkServer.Ids).Select(BenchmarkData.Id).ToArray();
            var updates = ids.Select(id => BenchmarkData.Update(id, attributes)).ToArray();
            var baselineClient = new HttpClient();
            var sdkOn = new ProfileUpdateClient(Options(address, resilience: true));
            var sdkOff = new ProfileUpdateClient(Options(address, resilience: false));
            string updateUrl = address + "m2/" + BenchmarkData.ClientCode + "/profile/update?";

            var variants = new (string Name, Func<int, Task> Send)[]
            {
                ("baseline (HttpClient + StringBuilder)", async i =>
                {
                    int k = i % ids.Length;
                    using var response = await baselineClient.GetAsync(updateUrl + BenchmarkData.HandWrittenQuery(ids[k], attributes));
                    string body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || !body.StartsWith("true", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("The server rejected the baseline's request: " + body);
                    }
                }),
                ("SDK, resilience on", i => sdkOn.UpdateAsync(updates[i % updates.Length])),
                ("SDK, resilience off", i => sdkOff.UpdateAsync(updates[i % updates.Length])),
            };

            Console.WriteLine($"Throughput: {rounds} interleaved rounds of {seconds.ToString(Inv)} s per variant; GET, id + 10 attributes ({updateUrl.Length + System.Text.Encoding.ASCII.GetByteCount(BenchmarkData.HandWrittenQuery(ids[0], attributes))}-byte URL); server in a separate process.");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

            // Correctness first: every variant's request is verified by the server before anything is timed.
            foreach (var (name, send) in variants)
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

            return 0;
        }
        finally
        {
            server.StandardInput.Close();
            await server.WaitForExitAsync();
        }
    }

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
        Console.WriteLine($"Concurrency {concurrency} (medians over {rounds} rounds; ratio = paired requests/s against the baseline in the same round)");
        Console.WriteLine($"{"variant",-38} {"req/s",10} {"ratio",7} {"p50 µs",9} {"p99 µs",9} {"B/update",9} {"CPU µs/update",14}");
        for (int v = 0; v < variants.Length; v++)
        {
            var r = results[v];
            double ratio = Median(r.Select((m, round) => m.RequestsPerSecond / results[0][round].RequestsPerSecond));
            Console.WriteLine(string.Create(Inv,
                $"{variants[v].Name,-38} {Median(r.Select(m => m.RequestsPerSecond)),10:0} {ratio,7:0.00} {Median(r.Select(m => m.P50Micros)),9:0.0} {Median(r.Select(m => m.P99Micros)),9:0.0} {Median(r.Select(m => m.BytesPerUpdate)),9:0} {Median(r.Select(m => m.CpuMicrosPerUpdate)),14:0.0}"));
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
        var process = Process.GetCurrentProcess();
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

    private static TargetProfileUpdateOptions Options(Uri address, bool resilience)
    {
        var options = new TargetProfileUpdateOptions { ClientCode = BenchmarkData.ClientCode, BaseAddress = address };
        options.Resilience.Enabled = resilience;
        options.Quota.PermitLimit = int.MaxValue; // the guard still runs; the benchmark must not spend a real day's quota
        return options;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static T Option<T>(string[] args, string name, T fallback)
        where T : IParsable<T>
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], Inv) : fallback;
    }

    private static int[] OptionList(string[] args, string name, int[] fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',').Select(s => int.Parse(s, Inv)).ToArray() : fallback;
    }

    private sealed record Measurement(double RequestsPerSecond, double P50Micros, double P99Micros, double BytesPerUpdate, double CpuMicrosPerUpdate);
}
