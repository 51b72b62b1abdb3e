using System;
using System.Globalization;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Emulator;

/// <summary>
/// Runs the emulator standalone:
/// <c>dotnet run --project src/TargetProfileUpdate.Emulator -- --urls http://127.0.0.1:5080 --client-code demo</c>.
/// Options: <see cref="TargetEmulatorCommandLine"/>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (TargetEmulatorCommandLine.IsHelpRequested(args))
        {
            Console.WriteLine("target-profile-emulator: a local stand-in for Adobe Target's profile, bulk and token endpoints.");
            TargetEmulatorCommandLine.WriteUsage(Console.Out);
            return 0;
        }

        if (!TargetEmulatorCommandLine.TryParse(args, out var options, out string? error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return 2;
        }

        var emulator = await TargetEmulator.StartAsync(options).ConfigureAwait(false);
        await using var _ = emulator.ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Target profile emulator for client code '{emulator.ClientCode}' listening on {emulator.BaseAddress} ({options.Profiles.Count} seeded profiles{(options.ImsClientId is null ? string.Empty : ", IMS flow on")}). Ctrl+C stops it."));
        await emulator.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
