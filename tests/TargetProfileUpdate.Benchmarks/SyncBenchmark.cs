using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Time to finish a sync of N updates at a realistic round trip: the server (its own process) answers every request
/// after a fixed delay; the client is the DI-registered <see cref="IProfileUpdateClient"/> with default options
/// (resilience, quota, <c>MaxConnectionsPerServer</c> 100) sending with <c>UpdateManyAsync</c>, a new update per item.
/// Each case runs in a fresh client process, so its CPU and peak working set are its own; the server counts the
/// sockets it accepts and the gaps between request arrivals.
/// </summary>
internal static class SyncBenchmark
{
    private const int SyncIds = 1024;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        int delayMs = BenchmarkServer.Option(args, "--delay-ms", 50);
        int updates = BenchmarkServer.Option(args, "--updates", 20_000);
        int[] concurrencies = BenchmarkServer.OptionList(args, "--concurrency", [8, 64, 256]);
        int[] flat = BenchmarkServer.OptionList(args, "--flat", [20_000, 200_000]);
        int flatConcurrency = BenchmarkServer.Option(args, "--flat-concurrency", 256);
        double rps = BenchmarkServer.Option(args, "--rps", 200.0);
        int rpsUpdates = BenchmarkServer.Option(args, "--rps-updates", 2_000);
        int rpsConcurrency = BenchmarkServer.Option(args, "--rps-concurrency", 64);
        const int MaxConnections = 100; // the default MaxConnectionsPerServer

        await using var server = BenchmarkServer.Start(delayMs, SyncIds);
        Console.WriteLine($"sync: UpdateManyAsync through the DI-registered client (defaults: resilience, quota, MaxConnectionsPerServer {MaxConnections}), GET, id + 10 attributes, a new ProfileUpdate per item; server answers after {delayMs} ms, in its own process; one client process per case.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {ThroughputBenchmark.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| {"updates",8} | {"MaxConcurrency",14} | {"updates/s",9} | {"bound/s",8} | {"% of bound",10} | {"seconds",7} | {"CPU µs/update",13} | {"sockets accepted",16} | {"peak open",9} | {"peak WS MB",10} |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

        var cases = concurrencies.Select(c => (Updates: updates, Concurrency: c)).ToList();
        foreach (int n in flat)
        {
            if (!cases.Contains((n, flatConcurrency)))
            {
                cases.Add((n, flatConcurrency));
            }
        }

        foreach (var (n, c) in cases)
        {
            server.Stats(); // reset
            var run = await RunChildAsync(server.Address, n, c, rps: null);
            var stats = server.Stats();
            double bound = Math.Min(c, MaxConnections) / (delayMs / 1000.0);
            double rate = n / run.Seconds;
            Console.WriteLine(string.Create(Inv,
                $"| {n,8} | {c,14} | {rate,9:0} | {bound,8:0} | {100 * rate / bound,9:0.0}% | {run.Seconds,7:0.0} | {run.CpuMicrosPerUpdate,13:0.0} | {stats.Accepted,16} | {stats.PeakOpen,9} | {run.PeakWorkingSetMb,10:0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"Pacing: Quota:RequestsPerSecond = {rps.ToString(Inv)}, {rpsUpdates} updates at MaxConcurrency {rpsConcurrency}; gaps between request arrivals at the server (expected {1_000_000 / rps:0} µs).");
        server.Stats();
        var paced = await RunChildAsync(server.Address, rpsUpdates, rpsConcurrency, rps);
        var gaps = server.Stats();
        Console.WriteLine("| updates/s | gap p1 µs | gap p50 µs | gap p99 µs | gap mean µs | gap std µs |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(Inv, $"| {rpsUpdates / paced.Seconds:0.0} | {gaps.GapP1Us:0} | {gaps.GapP50Us:0} | {gaps.GapP99Us:0} | {gaps.GapMeanUs:0} | {gaps.GapStdUs:0} |"));
        return 0;
    }

    private static async Task<ChildResult> RunChildAsync(Uri address, int updates, int concurrency, double? rps)
    {
        var start = BenchmarkServer.SelfStart("sync-run");
        start.ArgumentList.Add(address.ToString());
        start.ArgumentList.Add(updates.ToString(Inv));
        start.ArgumentList.Add(concurrency.ToString(Inv));
        start.ArgumentList.Add(rps?.ToString(Inv) ?? "-");
        using var child = Process.Start(start)!;
        string output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The sync run failed: " + output);
        var f = line["RESULT ".Length..].Trim().Split(' ').Select(p => double.Parse(p, Inv)).ToArray();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException("The sync run did not get every update accepted: " + output);
        }

        return new ChildResult(f[0], f[1], f[2]);
    }

    /// <summary>One case, in this (fresh) process: prints <c>RESULT seconds cpuMicrosPerUpdate peakWorkingSetMb</c>.</summary>
    public static async Task<int> RunOneAsync(string[] args)
    {
        var address = new Uri(args[1]);
        int updates = int.Parse(args[2], Inv);
        int concurrency = int.Parse(args[3], Inv);
        double? rps = args[4] == "-" ? null : double.Parse(args[4], Inv);
        var attributes = BenchmarkData.Attributes(10);

        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = BenchmarkData.ClientCode;
            o.BaseAddress = address;
            o.Quota.RequestsPerSecond = rps;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IProfileUpdateClient>();

        // Warm-up (JIT, connections), not measured; skipped when pacing, whose gaps must cover only the measured run.
        if (rps is null)
        {
            var warm = await client.UpdateManyAsync(Updates(Math.Min(updates, 2 * concurrency), attributes), new ProfileBatchOptions { MaxConcurrency = concurrency });
            if (warm.Failed != 0)
            {
                Console.WriteLine("warm-up failed: " + warm.Failures[0].Exception.Message);
                return 1;
            }
        }

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await client.UpdateManyAsync(Updates(updates, attributes), new ProfileBatchOptions { MaxConcurrency = concurrency });
        double seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / updates;
        Console.WriteLine(string.Create(Inv, $"RESULT {seconds:0.000} {cpu:0.0} {process.PeakWorkingSet64 / 1048576.0:0.0}"));
        if (result.Accepted != updates)
        {
            Console.WriteLine($"accepted {result.Accepted} of {updates}; first failure: {(result.Failures.Count > 0 ? result.Failures[0].Exception.Message : null)}");
            return 1;
        }

        return 0;
    }

    private static IEnumerable<ProfileUpdate> Updates(int count, (string Name, string Value)[] attributes)
    {
        for (int i = 0; i < count; i++)
        {
            yield return BenchmarkData.Update(BenchmarkData.Id(i % SyncIds), attributes);
        }
    }

    private sealed record ChildResult(double Seconds, double CpuMicrosPerUpdate, double PeakWorkingSetMb);
}
