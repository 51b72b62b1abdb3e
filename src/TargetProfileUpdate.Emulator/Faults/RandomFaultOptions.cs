using System.Collections.Generic;

namespace TargetProfileUpdate.Emulator;

/// <summary>Random fault injection, reproducible through <see cref="Seed"/>.</summary>
public sealed class RandomFaultOptions
{
    /// <summary>Gets or sets the probability (0 to 1) that a profile request meets a fault. Default: 0.1.</summary>
    public double Probability { get; set; } = 0.1;

    /// <summary>Gets or sets the seed of the random sequence. Default: 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Gets the faults to choose from, uniformly. Default: 503, 500 and 429 with <c>Retry-After: 1</c>.</summary>
    public IList<EmulatorFault> Faults { get; } = new List<EmulatorFault>
    {
        EmulatorFault.Status(503),
        EmulatorFault.Status(500),
        EmulatorFault.TooManyRequests(1),
    };
}
