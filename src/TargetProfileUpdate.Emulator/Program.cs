using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;

namespace TargetProfileUpdate.Emulator;

/// <summary>
/// Runs the emulator standalone:
/// <c>dotnet run --project src/TargetProfileUpdate.Emulator -- --urls http://127.0.0.1:5080 --client-code demo</c>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--urls"] = "Url",
        ["--client-code"] = "ClientCode",
        ["--token"] = "AuthorizationToken",
        ["--max-get-bytes"] = "MaxGetRequestBytes",
        ["--max-post-bytes"] = "MaxPostRequestBytes",
        ["--quota"] = "QuotaLimit",
        ["--quota-window"] = "QuotaWindow",
        ["--propagation-delay"] = "PropagationDelay",
        ["--seed-file"] = "SeedFile",
        ["--fault-probability"] = "FaultProbability",
        ["--fault-seed"] = "FaultSeed",
    };

    private static readonly JsonSerializerOptions SeedJson = new(JsonSerializerDefaults.Web);

    public static async Task<int> Main(string[] args)
    {
        if (Array.Exists(args, a => a is "-h" or "--help"))
        {
            Console.WriteLine("TargetProfileUpdate.Emulator options: " + string.Join(", ", Switches.Keys) + " (environment: TARGET_EMULATOR_<NAME>).");
            return 0;
        }

        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("TARGET_EMULATOR_")
            .AddCommandLine(args, Switches)
            .Build();

        var options = new TargetEmulatorOptions();
        Set(configuration, "Url", v => options.Url = v.Split(';')[0]);
        Set(configuration, "ClientCode", v => options.ClientCode = v);
        Set(configuration, "AuthorizationToken", v => options.AuthorizationToken = v);
        Set(configuration, "MaxGetRequestBytes", v => options.MaxGetRequestBytes = int.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "MaxPostRequestBytes", v => options.MaxPostRequestBytes = int.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "QuotaLimit", v => options.QuotaLimit = int.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "QuotaWindow", v => options.QuotaWindow = TimeSpan.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "PropagationDelay", v => options.PropagationDelay = TimeSpan.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "FaultProbability", v => (options.RandomFaults ??= new RandomFaultOptions()).Probability = double.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "FaultSeed", v => (options.RandomFaults ??= new RandomFaultOptions()).Seed = int.Parse(v, CultureInfo.InvariantCulture));
        Set(configuration, "SeedFile", v =>
        {
            var seeds = JsonSerializer.Deserialize<List<ProfileSeed>>(File.ReadAllText(v), SeedJson) ?? [];
            seeds.ForEach(options.Profiles.Add);
        });

        var emulator = await TargetEmulator.StartAsync(options).ConfigureAwait(false);
        await using var _ = emulator.ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Target profile emulator for client code '{emulator.ClientCode}' listening on {emulator.BaseAddress} ({options.Profiles.Count} seeded profiles). Ctrl+C stops it."));
        await emulator.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static void Set(IConfiguration configuration, string key, Action<string> assign)
    {
        if (configuration[key] is { Length: > 0 } value)
        {
            assign(value);
        }
    }
}
