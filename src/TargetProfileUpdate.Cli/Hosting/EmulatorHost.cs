using System;
using System.Collections.Generic;
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
    /// Runs the emulator with its own options, parsed by <see cref="TargetEmulatorCommandLine"/> (same names, same
    /// <c>TARGET_EMULATOR_*</c> environment variables, same defaults), until Ctrl+C.
    /// </summary>
    /// <returns>0 after Ctrl+C or for help; 2 for an invalid option or an address already in use (one line names it).</returns>
    public static Task<int> RunStandaloneAsync(string[] args) =>
        TargetEmulatorCommandLine.RunAsync(args, "target-profile emulator", Console.Out, Console.Error);

    /// <summary>Starts an in-process emulator on a free loopback port, seeded with <see cref="DemoProfiles"/>.</summary>
    public static async Task<TargetEmulator> StartEmbeddedAsync(string clientCode, CancellationToken cancellationToken)
    {
        // The embedded emulator lives for one command: delays would only make that command wait, so they are zero here.
        var options = new TargetEmulatorOptions { ClientCode = clientCode, PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero };
        foreach (var seed in DemoProfiles)
        {
            options.Profiles.Add(seed);
        }

        return await TargetEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
