using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Redis.Delivery;

#pragma warning disable IDE0130 // The extension lives in the package's own namespace, next to its options.
namespace TargetProfileUpdate.Redis;
#pragma warning restore IDE0130

/// <summary>Keeps an account's deferred updates in Redis (see <c>UseDeliveryAssurance</c>).</summary>
public static class RedisDeliveryStoreBuilderExtensions
{
    /// <summary>
    /// Keeps the account's deferred updates (<see cref="UnknownProfileHandling.Defer"/>) in Redis instead of process memory:
    /// they survive a restart, and every instance using the same <see cref="RedisDeliveryStoreOptions.KeyPrefix"/> shares them,
    /// each pending update sent by one instance, once. The store holds at most the account's
    /// <see cref="ProfileDeliveryOptions.MaxPendingUpdates"/>. Calling it again only adds configuration; the settings are
    /// validated when the host starts.
    /// </summary>
    /// <param name="builder">The account's builder.</param>
    /// <param name="configure">Sets the connection and, optionally, the key prefix and claim timeout.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder UseRedisDeliveryStore(this TargetProfileUpdateBuilder builder, Action<RedisDeliveryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        string name = builder.Name;
        IServiceCollection services = builder.Services;
        services.AddOptions<RedisDeliveryStoreOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisDeliveryStoreOptions>, Validator>());
        foreach (var existing in services.Where(d => d.ServiceType == typeof(IProfileDeliveryStore) && d.IsKeyedService && Equals(d.ServiceKey, name)).ToList())
        {
            services.Remove(existing);
        }

        services.AddKeyedSingleton<IProfileDeliveryStore>(name, static (sp, key) =>
        {
            string account = (string)key!;
            var options = sp.GetRequiredService<IOptionsMonitor<RedisDeliveryStoreOptions>>().Get(account);
            string clientCode = sp.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(account).ClientCode;
            long capacity = sp.GetRequiredService<IOptionsMonitor<ProfileDeliveryOptions>>().Get(account).MaxPendingUpdates;
            return new RedisProfileDeliveryStore(options, clientCode, capacity, sp);
        });
        return builder;
    }

    private sealed class Validator : IValidateOptions<RedisDeliveryStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisDeliveryStoreOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
