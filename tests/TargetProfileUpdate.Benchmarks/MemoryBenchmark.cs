using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Peak working set while UpdateManyAsync streams N updates through the real client (full handler chain,
/// resilience and quota guard on) over an in-memory handler. Each N runs in a fresh process, so each peak is its own.
/// </summary>
internal static class MemoryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int[] sizes = args.Length > 1 ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [10_000, 100_000, 1_000_000];
        Console.WriteLine("UpdateManyAsync, MaxConcurrency 8, GET with id + 10 attributes, real client over an in-memory handler; one process per size.");
        Console.WriteLine($"{"updates",10} {"accepted",10} {"peak working set MB",20} {"managed heap after MB",22} {"seconds",8}");
        foreach (int size in sizes)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                start.ArgumentList.Add(typeof(MemoryBenchmark).Assembly.Location);
            }

            start.ArgumentList.Add("memory-run");
            start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
            using var child = Process.Start(start)!;
            Console.WriteLine(await child.StandardOutput.ReadToEndAsync());
            await child.WaitForExitAsync();
        }

        return 0;
    }

    public static async Task<int> RunOneAsync(int count)
    {
        var attributes = BenchmarkData.Attributes(10);
        var options = new TargetProfileUpdateOptions { ClientCode = BenchmarkData.ClientCode };
        options.Quota.PermitLimit = int.MaxValue;
        using var client = new ProfileUpdateClient(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, new InMemoryHandler());
        var watch = Stopwatch.StartNew();

        var result = await client.UpdateManyAsync(Updates(count, attributes), new ProfileBatchOptions { MaxConcurrency = 8 });

        var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.Write(string.Create(CultureInfo.InvariantCulture,
            $"{count,10} {result.Accepted,10} {process.PeakWorkingSet64 / 1048576.0,20:0.0} {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0,22:0.0} {watch.Elapsed.TotalSeconds,8:0.0}"));
        return result.Accepted == count ? 0 : 1;
    }

    private static IEnumerable<ProfileUpdate> Updates(int count, (string Name, string Value)[] attributes)
    {
        for (int i = 0; i < count; i++)
        {
            yield return BenchmarkData.Update(BenchmarkData.Id(i), attributes);
        }
    }

    /// <summary>Answers every request with the documented success body, synchronously.</summary>
    internal sealed class InMemoryHandler : HttpMessageHandler
    {
        private static readonly byte[] Success = System.Text.Encoding.ASCII.GetBytes("trueRequest successfully submitted");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Success), RequestMessage = request });
    }
}
