using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// Every use of the emulator by the tool, in one place: the <c>emulator</c> command (the standalone emulator's
/// own program, with exactly its options) and the embedded emulator behind <c>--emulator</c>.
/// </summary>
internal static class EmulatorHost
{
    /// <summary>The demo profiles the embedded emulator starts with (so <c>fetch</c> and <c>update</c> have something to work on).</summary>
    public static readonly IReadOnlyList<ProfileSeed> DemoProfiles =
    [
        new ProfileSeed { ThirdPartyId = "demo-1", PcId = "demo-pc-1", Attributes = { ["loyaltyTier"] = "gold", ["favoriteColor"] = "blue" } },
        new ProfileSeed { ThirdPartyId = "demo-2", PcId = "demo-pc-2", Attributes = { ["loyaltyTier"] = "silver" } },
        new ProfileSeed { ThirdPartyId = "demo-3", PcId = "demo-pc-3" },
    ];

    /// <summary>
    /// Runs the emulator with the standalone emulator's own options, parsed by <see cref="TargetEmulatorCommandLine"/>
    /// (same names, same <c>TARGET_EMULATOR_*</c> environment variables, same defaults), until Ctrl+C.
    /// </summary>
    /// <returns>0 after Ctrl+C or for help; 2 for an invalid option (the message names it).</returns>
    public static async Task<int> RunStandaloneAsync(string[] args)
    {
        if (TargetEmulatorCommandLine.IsHelpRequested(args))
        {
            Console.WriteLine("target-profile emulator: a local stand-in for Adobe Target's profile, bulk and token endpoints, until Ctrl+C.");
            Console.WriteLine("Usage: target-profile emulator [options]");
            TargetEmulatorCommandLine.WriteUsage(Console.Out);
            return ExitCodes.Success;
        }

        if (!TargetEmulatorCommandLine.TryParse(args, out var options, out string? error))
        {
            Output.Terminal.Error(error);
            Console.Error.WriteLine("Run 'target-profile emulator --help' for its options.");
            return ExitCodes.Usage;
        }

        var emulator = await TargetEmulator.StartAsync(options).ConfigureAwait(false);
        await using (emulator.ConfigureAwait(false))
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Target profile emulator for client code '{emulator.ClientCode}' listening on {emulator.BaseAddress} ({options.Profiles.Count} seeded profiles). Ctrl+C stops it."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Try: target-profile --base-address {emulator.BaseAddress} --client-code {emulator.ClientCode} fetch --third-party-id <id>"));
            await emulator.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>Starts an in-process emulator on a free loopback port, seeded with <see cref="DemoProfiles"/>.</summary>
    public static async Task<TargetEmulator> StartEmbeddedAsync(string clientCode, CancellationToken cancellationToken)
    {
        var options = new TargetEmulatorOptions { ClientCode = clientCode };
        foreach (var seed in DemoProfiles)
        {
            options.Profiles.Add(seed);
        }

        return await TargetEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
