using BenchmarkDotNet.Running;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/TargetProfileUpdate.Benchmarks -- &lt;mode&gt;</c>; see README.md next to this file.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "help";
        return mode switch
        {
            "build" => Run(() => BenchmarkSwitcher.FromTypes([typeof(RequestBuildingBenchmarks)]).Run(args[1..])),
            "alloc" => Run(() => BenchmarkSwitcher.FromTypes([typeof(DiPathAllocationBenchmarks), typeof(TelemetryAllocationBenchmarks)]).Run(args[1..])),
            "alloc-sample" => await AllocationSampling.RunAsync(args),
            "throughput" => await ThroughputBenchmark.RunAsync(args),
            "sync" => await SyncBenchmark.RunAsync(args),
            "sync-run" => await SyncBenchmark.RunOneAsync(args),
            "server" => await BenchmarkServer.RunAsync(args),
            "memory" => await MemoryBenchmark.RunAsync(args),
            "bulk" => await BulkBenchmark.RunAsync(args),
            "bulk-run" => await BulkBenchmark.RunOneAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), new Uri(args[2])),
            "bulk-server" => await BulkBenchmark.ServeAsync(),
            "memory-run" => await MemoryBenchmark.RunOneAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)),
            _ => Help(),
        };
    }

    private static int Run(Action run)
    {
        run();
        return 0;
    }

    private static int Help()
    {
        Console.WriteLine("modes: throughput [--rounds N] [--seconds S] [--concurrency 1,64]"
            + " | sync [--delay-ms 50] [--updates 20000] [--concurrency 8,64,256] [--flat 20000,200000] [--flat-concurrency 256] [--rps 200] [--rps-updates 2000] [--rps-concurrency 64]"
            + " | alloc [BenchmarkDotNet args, e.g. --filter * --inProcess --job short]"
            + " | alloc-sample [--updates 100000] [--concurrency 64]"
            + " | build [BenchmarkDotNet args] | memory [sizes]"
            + " | bulk [--rows 200000,2000000] [--encode-rows 200000] [--rounds 3]");
        return 0;
    }
}
