using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests;

/// <summary>The real DI-registered client (full handler chain and pipeline) pointed at an emulator.</summary>
internal static class EmulatorClient
{
    public static IProfileUpdateClient Create(TargetEmulator emulator, Action<TargetProfileUpdateOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = emulator.ClientCode;
            o.BaseAddress = emulator.BaseAddress;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider().GetRequiredService<IProfileUpdateClient>();
    }
}
