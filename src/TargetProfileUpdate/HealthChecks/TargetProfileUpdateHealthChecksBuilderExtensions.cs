using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TargetProfileUpdate.HealthChecks;

#pragma warning disable IDE0130 // Public DI entry points live in the library's own namespace.
namespace TargetProfileUpdate;
#pragma warning restore IDE0130

/// <summary>Adds the health check of a registered Adobe Target account to <see cref="IHealthChecksBuilder"/>.</summary>
public static class TargetProfileUpdateHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the health of one account registered with <c>AddTargetProfileUpdate</c>: Unhealthy (or <paramref name="failureStatus"/>)
    /// when its profile API token cannot be obtained or the update endpoint's circuit breaker is open; Degraded while another
    /// endpoint's breaker is open (fetch, bulk, catalog, privacy, IMS, Admin API), under 5 % quota headroom, with
    /// Redis limits in fail-open, with the oldest pending update older than half of <see cref="ProfileDeliveryOptions.GiveUpAfter"/>,
    /// or with a verified landing rate under <see cref="ProfileDeliveryOptions.MinimumLandingRate"/>. The result's data holds
    /// counts and states, never ids or values.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="accountName">The account's registration name; <see langword="null"/> or empty for the default account.</param>
    /// <param name="name">The check's name; default <c>targetprofileupdate</c> (or <c>targetprofileupdate:{accountName}</c>).</param>
    /// <param name="failureStatus">The status reported when unhealthy; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddTargetProfileUpdate(
        this IHealthChecksBuilder builder,
        string? accountName = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string account = accountName ?? string.Empty;
        return builder.Add(new HealthCheckRegistration(
            name ?? (account.Length == 0 ? "targetprofileupdate" : "targetprofileupdate:" + account),
            sp => new TargetProfileUpdateHealthCheck(sp, account),
            failureStatus,
            tags));
    }
}
