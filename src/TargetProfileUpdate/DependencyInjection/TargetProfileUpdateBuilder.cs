using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.DependencyInjection;

#pragma warning disable IDE0130 // Public DI types live in the library's own namespace.
namespace TargetProfileUpdate;
#pragma warning restore IDE0130

/// <summary>
/// Configures one registered Adobe account (the default one, or a named one): its HTTP client, token provider, quota
/// and bulk/admin limiter. Returned by <c>AddTargetProfileUpdate</c>; every method returns the builder to chain.
/// </summary>
public sealed class TargetProfileUpdateBuilder
{
    internal TargetProfileUpdateBuilder(IServiceCollection services, string name)
    {
        Services = services;
        Name = name;
    }

    /// <summary>Gets the services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the account's name (<see cref="Microsoft.Extensions.Options.Options.DefaultName"/>, empty, for the default account);
    /// the key of its keyed services.</summary>
    public string Name { get; }

    /// <summary>Configures the account's <see cref="System.Net.Http.HttpClient"/> (used by every endpoint of the account: update,
    /// fetch, bulk and the token calls), for example to add your own <see cref="System.Net.Http.DelegatingHandler"/>.</summary>
    /// <param name="configure">Configures the <see cref="IHttpClientBuilder"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public TargetProfileUpdateBuilder ConfigureHttpClient(Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Services.AddHttpClient(TargetProfileUpdateServiceCollectionExtensions.HttpClientNameFor(Name)));
        return this;
    }

    /// <summary>Uses <typeparamref name="T"/> (created with its constructor's services) as the account's token provider.</summary>
    /// <typeparam name="T">The provider type.</typeparam>
    /// <returns>This builder.</returns>
    public TargetProfileUpdateBuilder AddTokenProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>()
        where T : class, IProfileApiTokenProvider =>
        AddTokenProvider(static sp => ActivatorUtilities.CreateInstance<T>(sp));

    /// <summary>Uses the provider the factory returns (called once per account) as the account's token provider.</summary>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public TargetProfileUpdateBuilder AddTokenProvider(Func<IServiceProvider, IProfileApiTokenProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Configure<AccountComponents>(Name, c => c.TokenProvider = factory);
        return this;
    }

    /// <summary>
    /// Uses the limiter the factory returns (called once per account) as the account's update quota instead of the
    /// in-process <see cref="SlidingWindowQuota"/>: one permit per HTTP attempt of the Single Profile Update API, taken
    /// with <see cref="RateLimiter.AcquireAsync(int, System.Threading.CancellationToken)"/>; a lease that is not acquired
    /// refuses the attempt (nothing is sent) with its <see cref="MetadataName.RetryAfter"/>.
    /// </summary>
    /// <param name="factory">Creates the limiter.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public TargetProfileUpdateBuilder UseQuota(Func<IServiceProvider, RateLimiter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Configure<AccountComponents>(Name, c => c.Quota = factory);
        return this;
    }

    /// <summary>
    /// Uses the limiter the factory returns as the account's limiter of bulk and admin API calls (Adobe allows 50 per
    /// minute per account; the default is an in-process rolling window of 50 per minute). It covers bulk uploads, batch
    /// status polls and the Admin API token calls.
    /// </summary>
    /// <param name="factory">Creates the limiter.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public TargetProfileUpdateBuilder UseBulkLimiter(Func<IServiceProvider, RateLimiter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Configure<AccountComponents>(Name, c => c.BulkLimiter = factory);
        return this;
    }

    /// <summary>
    /// Uses the list the factory returns (called once per account) as the account's suppression list instead of the
    /// in-memory <see cref="InMemorySuppressionList"/>: every update, bulk row and deferred delivery of the account is checked
    /// against it before anything is sent, and deletion requests add their ids to it. <c>UseRedisSuppressionList</c>
    /// (package <c>TargetProfileUpdate.Redis</c>) shares one list between instances.
    /// </summary>
    /// <param name="factory">Creates the list.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public TargetProfileUpdateBuilder UseSuppressionList(Func<IServiceProvider, ISuppressionList> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Configure<AccountComponents>(Name, c => c.SuppressionList = factory);
        return this;
    }

    /// <summary>
    /// Turns on delivery assurance for the account: updates for profiles that do not exist yet are deferred (held and sent
    /// once they exist) or rejected, and a sample of accepted updates is read back (see <see cref="ProfileDeliveryOptions"/>
    /// and docs/delivery.md). Deferred updates wait in an in-memory store unless another is registered (for example
    /// <c>UseRedisDeliveryStore</c>); they are re-checked by a hosted service, or by <see cref="ProfileDeliveryWorker.RunOnceAsync"/>.
    /// Calling it again only adds configuration.
    /// </summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public TargetProfileUpdateBuilder UseDeliveryAssurance(Action<ProfileDeliveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Delivery.DeliveryRegistration.Add(this, configure);
        return this;
    }
}
