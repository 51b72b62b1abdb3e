using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Delivery;

/// <summary>
/// Wires delivery assurance into one registered account: decorates the account's keyed <see cref="IProfileUpdateClient"/>
/// registration (whatever builds it) with <see cref="DeliveryAssuredUpdateClient"/>, and registers the account's
/// <see cref="DeliveryAccount"/>, <see cref="ProfileDeliveryWorker"/> and hosted service. Idempotent per account.
/// </summary>
/// <remarks>
/// The plain client the registration built stays the one send path: the decorator and the re-check both send through it,
/// so anything applied to updates there (a suppression list, say) applies to deferred deliveries as well.
/// </remarks>
internal static class DeliveryRegistration
{
    public static void Add(TargetProfileUpdateBuilder builder, Action<ProfileDeliveryOptions> configure)
    {
        var services = builder.Services;
        string name = builder.Name;
        services.AddOptions<ProfileDeliveryOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProfileDeliveryOptions>>(ProfileDeliveryOptionsValidator.Instance));
        if (services.Any(d => d.ServiceType == typeof(Marker) && d.IsKeyedService && Equals(d.ServiceKey, name)))
        {
            return;
        }

        var plain = services.LastOrDefault(d => d.ServiceType == typeof(IProfileUpdateClient) && d.IsKeyedService && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException("UseDeliveryAssurance needs the account registered first (AddTargetProfileUpdate).");
        var createPlain = plain.KeyedImplementationFactory
            ?? throw new InvalidOperationException("The account's IProfileUpdateClient registration is not a factory; delivery assurance cannot decorate it.");
        services.Remove(plain);

        services.AddKeyedSingleton<Marker>(name);
        services.TryAddSingleton(static sp => new DeliveryTelemetry(sp.GetRequiredService<ProfileUpdateTelemetry>()));
        services.AddKeyedSingleton(name, (sp, key) => new DeliveryAccount(sp, name, (IProfileUpdateClient)createPlain(sp, key)));
        services.AddKeyedSingleton<IProfileUpdateClient>(name, (sp, _) =>
        {
            var account = sp.GetRequiredKeyedService<DeliveryAccount>(name);
            return account.Options.IsPassThrough ? account.Inner : new DeliveryAssuredUpdateClient(account);
        });
        services.AddKeyedSingleton(name, (sp, _) => new ProfileDeliveryWorker(sp.GetRequiredKeyedService<DeliveryAccount>(name)));
        services.AddSingleton<IHostedService>(sp => new ProfileDeliveryHostedService(
            sp.GetRequiredKeyedService<ProfileDeliveryWorker>(name), sp.GetRequiredKeyedService<DeliveryAccount>(name)));
    }

    /// <summary>Marks that an account has delivery assurance, so a second call only adds configuration.</summary>
    private sealed class Marker;
}
