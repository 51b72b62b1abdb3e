using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// A minimal Kestrel server for the throughput benchmark, in its own process so its allocations and CPU are not
/// counted against the client. Correctness first: it answers success only when the raw query is byte-for-byte the
/// expected encoding of the benchmark's update for that id, and 400 otherwise, which aborts the benchmark.
/// </summary>
internal static class BenchmarkServer
{
    public const int Ids = 64;

    public static async Task<int> RunAsync()
    {
        var attributes = BenchmarkData.Attributes(10);
        var expected = Enumerable.Range(0, Ids).ToDictionary(i => "?" + BenchmarkData.HandWrittenQuery(BenchmarkData.Id(i), attributes), _ => true, StringComparer.Ordinal);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet($"/m2/{BenchmarkData.ClientCode}/profile/update", (HttpContext context) =>
        {
            string raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            string query = raw[raw.IndexOf('?', StringComparison.Ordinal)..];
            context.Response.ContentType = "text/plain";
            if (expected.ContainsKey(query))
            {
                return context.Response.WriteAsync("trueRequest successfully submitted");
            }

            context.Response.StatusCode = 400;
            return context.Response.WriteAsync("falseUnexpected bytes on the wire");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("LISTENING " + address);
        Console.Out.Flush();

        // Stop when the parent closes our standard input.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    /// <summary>Starts the server as a child process and returns it with its address.</summary>
    public static (Process Process, Uri Address) Start()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchmarkServer).Assembly.Location);
        }

        start.ArgumentList.Add("server");
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return (process, new Uri(line["LISTENING ".Length..].TrimEnd('/') + "/"));
            }
        }

        throw new InvalidOperationException("The benchmark server did not start.");
    }
}
