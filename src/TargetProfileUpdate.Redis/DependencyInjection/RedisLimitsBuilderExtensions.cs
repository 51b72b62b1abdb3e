using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // The extension lives in the package's own namespace, next to RedisLimitOptions.
namespace TargetProfileUpdate.Redis;
#pragma warning restore IDE0130

/// <summary>Plugs Redis-backed limits into an account registered with <c>AddTargetProfileUpdate</c>.</summary>
public static class RedisLimitsBuilderExtensions
{
    /// <summary>
    /// Shares the account's update quota and its bulk/admin call limit with every other process through Redis: registers
    /// one <see cref="RedisAccountLimits"/> for the account (a keyed singleton, key <see cref="TargetProfileUpdateBuilder.Name"/>)
    /// and makes its <see cref="RedisAccountLimits.Quota"/> and <see cref="RedisAccountLimits.Bulk"/> the account's
    /// limiters. The limits are the account's own settings (<c>Quota:PermitLimit</c> per <c>Quota:Window</c>, and
    /// Adobe's <see cref="ProfileUpdateQuotaOptions.BulkCallsPerMinute"/>); <paramref name="configure"/> sets only how Redis
    /// is reached and used. With <c>Quota:Enabled</c> false the account has no update quota, shared or not. The key prefix
    /// is <c>targetprofileupdate:{clientCode}:</c> with the account's own client code, in lower case, so accounts never share
    /// counts. A multiplexer from <see cref="RedisLimitOptions.ConnectionMultiplexerFactory"/> is resolved from the
    /// application's services and never disposed by this package; one made from
    /// <see cref="RedisLimitOptions.ConnectionString"/> is disposed with the service provider.
    /// Calling it again for the same account only adds configuration. The settings are validated when the host starts.
    /// </summary>
    /// <param name="builder">The account's builder.</param>
    /// <param name="configure">Sets the connection and, optionally, the other <see cref="RedisLimitOptions"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder UseRedisLimits(this TargetProfileUpdateBuilder builder, Action<RedisLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        string name = builder.Name;
        IServiceCollection services = builder.Services;

        services.AddOptions<RedisLimitOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisLimitOptions>>(RedisLimitOptionsValidator.Instance));
        services.TryAddKeyedSingleton(name, static (sp, key) =>
        {
            string account = (string)key!;
            RedisLimitOptions options = sp.GetRequiredService<IOptionsMonitor<RedisLimitOptions>>().Get(account);
            TargetProfileUpdateOptions accountOptions = sp.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(account);
            return new RedisAccountLimits(options, accountOptions, sp);
        });
        services.TryAddEnumerable(ServiceDescriptor.KeyedSingleton<IProfileUpdateHealthContributor, Diagnostics.RedisLimitsHealthContributor>(name));
        builder.UseQuota(sp => sp.GetRequiredKeyedService<RedisAccountLimits>(name).Quota);
        builder.UseBulkLimiter(sp => sp.GetRequiredKeyedService<RedisAccountLimits>(name).Bulk);
        return builder;
    }
}
