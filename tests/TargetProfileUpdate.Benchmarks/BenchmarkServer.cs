using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// A minimal Kestrel server for the benchmarks, in its own process so its allocations and CPU are not counted against
/// the client. Correctness first: it answers success only when the raw query is byte-for-byte the expected encoding of
/// the benchmark's update for that id, and 400 otherwise, which aborts the benchmark.
/// </summary>
/// <remarks>
/// <c>server [--delay-ms N] [--ids N]</c>: each answer waits N ms (a fixed round trip, 0 by default). It counts the
/// sockets it accepts (total and peak open at once) and records request arrival times. Commands on standard input, one
/// per line: <c>stats</c> prints <c>STATS accepted=… peakOpen=… open=… requests=… gapP1Us=… gapP50Us=… gapP99Us=… gapMeanUs=… gapStdUs=…</c>
/// and resets the counters (not the open count); end of input stops the server.
/// </remarks>
internal static class BenchmarkServer
{
    /// <summary>How many distinct ids the throughput benchmark cycles through (the server knows each one's bytes).</summary>
    public const int Ids = 64;

    private static int s_open;
    private static int s_peakOpen;
    private static long s_accepted;
    private static ConcurrentQueue<long> s_arrivals = new();

    public static async Task<int> RunAsync(string[] args)
    {
        int delayMs = Option(args, "--delay-ms", 0);
        int idCount = Option(args, "--ids", Ids);
        var attributes = BenchmarkData.Attributes(10);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < idCount; i++)
        {
            expected.Add("?" + BenchmarkData.HandWrittenQuery(BenchmarkData.Id(i), attributes));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => async connection =>
                {
                    Interlocked.Increment(ref s_accepted);
                    int open = Interlocked.Increment(ref s_open);
                    int peak;
                    while (open > (peak = Volatile.Read(ref s_peakOpen)) && Interlocked.CompareExchange(ref s_peakOpen, open, peak) != peak)
                    {
                    }

                    try
                    {
                        await next(connection);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref s_open);
                    }
                });
            });
        });
        var app = builder.Build();
        app.MapGet($"/m2/{BenchmarkData.ClientCode}/profile/update", async (HttpContext context) =>
        {
            s_arrivals.Enqueue(Stopwatch.GetTimestamp());
            string raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            string query = raw[raw.IndexOf('?', StringComparison.Ordinal)..];
            if (delayMs > 0)
            {
                await Task.Delay(delayMs);
            }

            context.Response.ContentType = "text/plain";
            if (expected.Contains(query))
            {
                await context.Response.WriteAsync("trueRequest successfully submitted");
                return;
            }

            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("falseUnexpected bytes on the wire");
        });
        await app.StartAsync();
        string address = app.Urls.First();
        Console.WriteLine("LISTENING " + address);
        Console.Out.Flush();

        // Commands until the parent closes our standard input.
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                Console.WriteLine(Stats());
                Console.Out.Flush();
            }
        }

        await app.StopAsync();
        return 0;
    }

    private static string Stats()
    {
        var arrivals = Interlocked.Exchange(ref s_arrivals, new ConcurrentQueue<long>()).ToArray();
        Array.Sort(arrivals);
        var gaps = new double[Math.Max(0, arrivals.Length - 1)];
        for (int i = 1; i < arrivals.Length; i++)
        {
            gaps[i - 1] = (arrivals[i] - arrivals[i - 1]) * 1_000_000.0 / Stopwatch.Frequency;
        }

        double mean = gaps.Length > 0 ? gaps.Average() : 0;
        double std = gaps.Length > 0 ? Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / gaps.Length) : 0;
        var sorted = gaps.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        string line = string.Create(CultureInfo.InvariantCulture,
            $"STATS accepted={Interlocked.Exchange(ref s_accepted, 0)} peakOpen={Interlocked.Exchange(ref s_peakOpen, Volatile.Read(ref s_open))} open={Volatile.Read(ref s_open)} requests={arrivals.Length} gapP1Us={P(0.01):0} gapP50Us={P(0.50):0} gapP99Us={P(0.99):0} gapMeanUs={mean:0} gapStdUs={std:0}");
        return line;
    }

    /// <summary>A running server child process.</summary>
    internal sealed class Handle(Process process, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        /// <summary>Reads and resets the server's counters.</summary>
        public ServerStats Stats()
        {
            process.StandardInput.WriteLine("stats");
            process.StandardInput.Flush();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("STATS ", StringComparison.Ordinal))
                {
                    var fields = line["STATS ".Length..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
                    return new ServerStats((long)fields["accepted"], (int)fields["peakOpen"], (int)fields["requests"], fields["gapP1Us"], fields["gapP50Us"], fields["gapP99Us"], fields["gapMeanUs"], fields["gapStdUs"]);
                }
            }

            throw new InvalidOperationException("The benchmark server stopped.");
        }

        public async ValueTask DisposeAsync()
        {
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    internal sealed record ServerStats(long Accepted, int PeakOpen, int Requests, double GapP1Us, double GapP50Us, double GapP99Us, double GapMeanUs, double GapStdUs);

    /// <summary>Starts the server as a child process and returns it with its address.</summary>
    public static Handle Start(int delayMs = 0, int ids = Ids)
    {
        var start = SelfStart("server");
        start.RedirectStandardInput = true;
        start.ArgumentList.Add("--delay-ms");
        start.ArgumentList.Add(delayMs.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--ids");
        start.ArgumentList.Add(ids.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return new Handle(process, new Uri(line["LISTENING ".Length..].TrimEnd('/') + "/"));
            }
        }

        throw new InvalidOperationException("The benchmark server did not start.");
    }

    /// <summary>A start of this same benchmark program in another mode.</summary>
    public static ProcessStartInfo SelfStart(string mode)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchmarkServer).Assembly.Location);
        }

        start.ArgumentList.Add(mode);
        return start;
    }

    public static T Option<T>(string[] args, string name, T fallback)
        where T : IParsable<T>
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static int[] OptionList(string[] args, string name, int[] fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : fallback;
    }
}
