using BenchmarkDotNet.Running;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/TargetProfileUpdate.Benchmarks -- &lt;mode&gt;</c>:
/// <c>build</c> (BenchmarkDotNet: request building; BenchmarkDotNet's own arguments follow),
/// <c>throughput [--rounds 5] [--seconds 3] [--concurrency 1,64]</c>, <c>memory [10000,100000,1000000]</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "help";
        return mode switch
        {
            "build" => Run(() => BenchmarkSwitcher.FromTypes([typeof(RequestBuildingBenchmarks)]).Run(args[1..])),
            "throughput" => await ThroughputBenchmark.RunAsync(args),
            "server" => await BenchmarkServer.RunAsync(),
            "memory" => await MemoryBenchmark.RunAsync(args),
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
        Console.WriteLine("modes: build [BenchmarkDotNet args, e.g. --filter * --job short] | throughput [--rounds N] [--seconds S] [--concurrency 1,64] | memory [sizes]");
        return 0;
    }
}
