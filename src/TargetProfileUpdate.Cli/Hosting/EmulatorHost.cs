using System;
using System.Collections.Generic;
using System.Reflection;
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
    /// Runs the standalone emulator's program with <paramref name="args"/>: same options, same environment variables,
    /// same output, until Ctrl+C. The emulator has no public option parser, so its entry point is called as is;
    /// when it gains one (<c>TargetEmulatorOptions</c> parsing), this is the one line to change.
    /// </summary>
    public static async Task<int> RunStandaloneAsync(string[] args)
    {
        MethodInfo entryPoint = typeof(TargetEmulator).Assembly.EntryPoint
            ?? throw new InvalidOperationException("The emulator assembly has no entry point.");
        object? result = entryPoint.Invoke(null, [args]);
        return result switch
        {
            Task<int> task => await task.ConfigureAwait(false),
            int code => code,
            _ => 0,
        };
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
