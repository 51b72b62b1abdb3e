using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

#pragma warning disable IDE0130 // The extension lives in the package's own namespace, next to RedisSuppressionOptions.
namespace TargetProfileUpdate.Redis;
#pragma warning restore IDE0130

/// <summary>Plugs a Redis-backed suppression list into an account registered with <c>AddTargetProfileUpdate</c>.</summary>
public static class RedisSuppressionBuilderExtensions
{
    /// <summary>
    /// Keeps the account's suppression list in one Redis set shared by every process (and kept when they restart): every
    /// update, bulk row and deferred delivery is checked against it, and deletion requests add to it. The account must set
    /// <c>TargetProfileUpdate:Privacy:HashSecret</c> (the same in every process): the set holds only HMAC-SHA256 hashes keyed by it.
    /// A multiplexer from <see cref="RedisSuppressionOptions.ConnectionMultiplexerFactory"/> is never disposed by this package;
    /// one made from <see cref="RedisSuppressionOptions.ConnectionString"/> is disposed with the service provider.
    /// </summary>
    /// <param name="builder">The account's builder.</param>
    /// <param name="configure">Sets the connection and, optionally, the key.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder UseRedisSuppressionList(this TargetProfileUpdateBuilder builder, Action<RedisSuppressionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        string name = builder.Name;
        builder.Services.AddOptions<RedisSuppressionOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSuppressionOptions>, Validator>());
        builder.Services.TryAddKeyedSingleton(name, static (sp, key) => Create(sp, (string)key!));
        return builder.UseSuppressionList(sp => sp.GetRequiredKeyedService<RedisSuppressionList>(name));
    }

    private static RedisSuppressionList Create(IServiceProvider services, string account)
    {
        var options = services.GetRequiredService<IOptionsMonitor<RedisSuppressionOptions>>().Get(account);
        var target = services.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(account);
        if (target.Privacy.HashSecret is not { } secret)
        {
            throw new InvalidOperationException(
                "UseRedisSuppressionList needs TargetProfileUpdate:Privacy:HashSecret (at least 32 characters, the same in every process): the shared list stores HMAC-SHA256 hashes keyed by it, never ids.");
        }

        string key = options.Key.Replace(RedisSuppressionOptions.ClientCodePlaceholder, target.ClientCode, StringComparison.Ordinal);
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            var shared = factory(services) ?? throw new InvalidOperationException("RedisSuppressionOptions.ConnectionMultiplexerFactory returned null.");
            return new RedisSuppressionList(shared, key, new ProfileIdHasher(secret), options.OperationTimeout);
        }

        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(options.ConnectionString!);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("RedisSuppressionOptions.ConnectionString is not a valid StackExchange.Redis connection string (not shown: it may hold a password).");
        }

        configuration.AbortOnConnectFail = false;
        return new RedisSuppressionList(ConnectionMultiplexer.Connect(configuration), key, new ProfileIdHasher(secret), options.OperationTimeout, ownsConnection: true);
    }

    /// <summary>Runs <see cref="RedisSuppressionOptions.Validate"/> at host start, with the same messages.</summary>
    private sealed class Validator : IValidateOptions<RedisSuppressionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisSuppressionOptions options)
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
