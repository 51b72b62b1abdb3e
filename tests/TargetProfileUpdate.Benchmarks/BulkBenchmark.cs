using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Bulk;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Issue 15 part 4: rows to accepted batches. Streams N rows of 10 attributes (partly non-ASCII) through the DI-resolved
/// <see cref="IBulkProfileUpdateClient"/> to a loopback Kestrel server in its own process that reads and discards each
/// body and answers the documented XML; each N runs in a fresh client process so each peak working set is its own.
/// Then, in this process, the encoding alone (the SDK's batcher vs a hand-written StringBuilder + Uri.EscapeDataString
/// CSV writer, interleaved rounds over the same in-memory rows).
/// </summary>
internal static class BulkBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int[] sizes = BenchmarkServer.OptionList(args, "--rows", [200_000, 2_000_000]);
        int encodeRows = BenchmarkServer.Option(args, "--encode-rows", 200_000);
        int rounds = BenchmarkServer.Option(args, "--rounds", 3);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores (shared with other work), {RuntimeInformationText()}");
        Console.WriteLine("send: IBulkProfileUpdateClient from DI (bulk limiter, resilience on), MaxRowsPerBatch 500,000, 10 attributes/row, server in its own process reads and discards each body");
        Console.WriteLine($"{"rows",10} {"batches",8} {"seconds",8} {"rows/s",10} {"MB sent",9} {"MB/s",7} {"largest batch MB",17} {"peak WS MB",11} {"goal: 2x batch+64",18}");
        var server = StartServer();
        try
        {
            foreach (int size in sizes)
            {
                var start = BenchmarkServer.SelfStart("bulk-run");
                start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add(server.Address.AbsoluteUri);
                using var child = Process.Start(start)!;
                Console.WriteLine((await child.StandardOutput.ReadToEndAsync()).TrimEnd());
                await child.WaitForExitAsync();
            }
        }
        finally
        {
            server.StandardInput.Close();
            await server.Process.WaitForExitAsync();
            server.Process.Dispose();
        }

        EncodeOnly(encodeRows, rounds);
        return 0;
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private sealed record Server(Process Process, Uri Address)
    {
        public StreamWriter StandardInput => Process.StandardInput;
    }

    private static Server StartServer()
    {
        var start = BenchmarkServer.SelfStart("bulk-server");
        start.RedirectStandardInput = true;
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return new Server(process, new Uri(line["LISTENING ".Length..].TrimEnd('/') + "/"));
            }
        }

        throw new InvalidOperationException("The bulk benchmark server did not start.");
    }

    /// <summary>The server process: Kestrel on a loopback port; reads every body to the end and discards it.</summary>
    public static async Task<int> ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            k.Listen(System.Net.IPAddress.Loopback, 0);
        });
        await using var app = builder.Build();
        long batches = 0;
        app.MapPost("/m2/{clientCode}/v2/profile/batchUpdate", async (HttpContext context, string clientCode) =>
        {
            byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
            try
            {
                while (await context.Request.Body.ReadAsync(buffer) > 0)
                {
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            long id = Interlocked.Increment(ref batches);
            string url = $"{context.Request.Scheme}://{context.Request.Host}/m2/{clientCode}/v2/profile/batchStatus?batchId={clientCode}-{id}";
            return Results.Text($"<response><success>true</success><batchStatus>{url}</batchStatus><message>Batch submitted for processing</message></response>", "application/xml");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("LISTENING " + address);
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>The client process: uploads N lazily built rows and prints one result line.</summary>
    public static async Task<int> RunOneAsync(int rows, Uri address)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = BenchmarkData.ClientCode;
            o.BaseAddress = address;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IBulkProfileUpdateClient>();
        var attributes = BenchmarkData.Attributes(10);
        var watch = Stopwatch.StartNew();

        var result = await client.UploadAsync(Rows(rows, attributes));

        watch.Stop();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        double mb = result.Batches.Sum(b => b.Bytes) / 1e6;
        double largest = result.Batches.Max(b => b.Bytes) / 1e6;
        double peak = process.PeakWorkingSet64 / 1e6;
        double goal = (2 * largest) + 64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows,10} {result.Batches.Count,8} {watch.Elapsed.TotalSeconds,8:0.0} {rows / watch.Elapsed.TotalSeconds,10:N0} {mb,9:0.0} {mb / watch.Elapsed.TotalSeconds,7:0.0} {largest,17:0.0} {peak,11:0.0} {(peak < goal ? "met" : "NOT met") + " (<" + goal.ToString("0", CultureInfo.InvariantCulture) + ")",18}"));
        return result.Sent == rows ? 0 : 1;
    }

    private static IEnumerable<ProfileUpdate> Rows(int count, (string Name, string Value)[] attributes)
    {
        for (int i = 0; i < count; i++)
        {
            yield return BenchmarkData.Update(BenchmarkData.Id(i), attributes);
        }
    }

    /// <summary>Encoding alone, same rows in memory for both: the SDK's batcher (pooled UTF-8, one pass) vs a hand-written
    /// StringBuilder + Uri.EscapeDataString CSV writer that ends with the UTF-8 bytes it would send.</summary>
    private static void EncodeOnly(int rows, int rounds)
    {
        var attributes = BenchmarkData.Attributes(10);
        var source = Enumerable.Range(0, rows).Select(i => (Id: BenchmarkData.Id(i), Attributes: attributes)).ToArray();
        var updates = source.Select(r => BenchmarkData.Update(r.Id, r.Attributes)).ToArray();
        long sdkBytes = SdkEncode(updates);
        long handBytes = HandWrittenEncode(source);
        Console.WriteLine();
        Console.WriteLine($"encoding alone: {rows:N0} rows x 10 attributes already in memory, {rounds} interleaved rounds (after one warm-up each), CSV bytes: SDK {sdkBytes:N0}, hand-written {handBytes:N0}");
        Console.WriteLine($"{"round",6} {"SDK rows/s",12} {"hand rows/s",12} {"ratio",6} {"SDK MB/s",9}");
        var ratios = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            SdkEncode(updates);
            double sdk = watch.Elapsed.TotalSeconds;
            watch.Restart();
            HandWrittenEncode(source);
            double hand = watch.Elapsed.TotalSeconds;
            ratios.Add(hand / sdk);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round,6} {rows / sdk,12:N0} {rows / hand,12:N0} {hand / sdk,6:0.00} {sdkBytes / 1e6 / sdk,9:0.0}"));
        }

        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio SDK/hand-written rows/s: {ratios[ratios.Count / 2]:0.00} (goal >= 3)"));
    }

    private static long SdkEncode(ProfileUpdate[] updates)
    {
        using var batcher = new BulkBatcher(BulkUploadOptions.MaxRowsLimit, BulkUploadOptions.MaxBytesLimit);
        long bytes = 0;
        var batches = batcher.ReadBatchesAsync(AsAsync(updates), CancellationToken.None).GetAsyncEnumerator();
        try
        {
            while (batches.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                using var batch = batches.Current;
                bytes += batch.Length;
            }
        }
        finally
        {
            batches.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return bytes;
    }

#pragma warning disable CS1998 // a synchronous source, as UploadAsync's IEnumerable overload gives the batcher
    private static async IAsyncEnumerable<ProfileUpdate> AsAsync(ProfileUpdate[] updates)
    {
        foreach (var update in updates)
        {
            yield return update;
        }
    }
#pragma warning restore CS1998

    private static long HandWrittenEncode((string Id, (string Name, string Value)[] Attributes)[] rows)
    {
        long bytes = 0;
        for (int start = 0; start < rows.Length; start += BulkUploadOptions.MaxRowsLimit)
        {
            int end = Math.Min(rows.Length, start + BulkUploadOptions.MaxRowsLimit);
            var columns = new List<string>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var body = new StringBuilder();
            var fields = new List<string?>();
            for (int r = start; r < end; r++)
            {
                fields.Clear();
                foreach (var (name, value) in rows[r].Attributes)
                {
                    if (!index.TryGetValue(name, out int column))
                    {
                        column = columns.Count;
                        index[name] = column;
                        columns.Add(name);
                    }

                    while (fields.Count <= column)
                    {
                        fields.Add(null);
                    }

                    fields[column] = value;
                }

                body.Append(Uri.EscapeDataString(rows[r].Id));
                foreach (string? field in fields)
                {
                    body.Append(',');
                    if (field is not null)
                    {
                        body.Append(Uri.EscapeDataString(field));
                    }
                }

                body.Append('\n');
            }

            var header = new StringBuilder("batch=thirdPartyId");
            foreach (string column in columns)
            {
                header.Append(',').Append(Uri.EscapeDataString(column));
            }

            header.Append('\n');
            bytes += System.Text.Encoding.UTF8.GetBytes(header.Append(body).ToString()).Length;
        }

        return bytes;
    }
}
