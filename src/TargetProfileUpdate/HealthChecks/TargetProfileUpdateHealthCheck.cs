using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;
using TargetProfileUpdate.Delivery;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.HealthChecks;

/// <summary>
/// The health of one account. Unhealthy: the profile API token cannot be obtained, or the update endpoint's circuit breaker
/// is open. Degraded: another endpoint's breaker is open (fetch, bulk, catalog, privacy, IMS, Admin API), under 5 % of the
/// update quota left, a plug-in (Redis limits in fail-open) says so, the oldest pending update is
/// older than half of <see cref="ProfileDeliveryOptions.GiveUpAfter"/>, or the verified landing rate is under
/// <see cref="ProfileDeliveryOptions.MinimumLandingRate"/>. Data holds counts and states only.
/// </summary>
internal sealed class TargetProfileUpdateHealthCheck(IServiceProvider services, string accountName) : IHealthCheck
{
    /// <summary>Below this fraction of the quota left, the account is degraded.</summary>
    public const double MinimumQuotaHeadroom = 0.05;

    /// <summary>The fewest verified updates before the landing rate counts.</summary>
    public const long MinimumVerifiedForRate = 20;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var account = services.GetRequiredKeyedService<TargetAccount>(accountName);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var unhealthy = new List<string>();
        var degraded = new List<string>();

        try
        {
            await account.TokenProvider.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
            data["token"] = "available";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            data["token"] = "unavailable";
            unhealthy.Add("the profile API token cannot be obtained (" + ex.GetType().Name + ")");
        }

        foreach (var (endpoint, breaker) in account.Breakers)
        {
            var state = breaker.CircuitState;
            if (state is CircuitState.Open or CircuitState.Isolated)
            {
                // Only the update endpoint's breaker stops the account's work; the others (fetch, bulk, catalog, privacy,
                // the token endpoints) take one feature away, and a token that cannot be obtained is reported above.
                data["circuit." + endpoint] = state.ToString();
                (endpoint == ProfileApiEndpoint.Update.Name ? unhealthy : degraded).Add("the " + endpoint + " circuit breaker is open");
            }
        }

        if (account.Quota is SlidingWindowQuota quota && quota.GetStatistics() is { } statistics)
        {
            long limit = account.Options.Quota.PermitLimit;
            data["quota.available"] = statistics.CurrentAvailablePermits;
            data["quota.limit"] = limit;
            if (statistics.CurrentAvailablePermits < limit * MinimumQuotaHeadroom)
            {
                degraded.Add(Invariant($"under {MinimumQuotaHeadroom:P0} of the update quota is left ({statistics.CurrentAvailablePermits:N0} of {limit:N0})"));
            }
        }

        foreach (var contributor in services.GetKeyedServices<IProfileUpdateHealthContributor>(accountName))
        {
            var result = await contributor.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in result.Data)
            {
                data[key] = value;
            }

            if (result.Status == HealthStatus.Unhealthy)
            {
                unhealthy.Add(result.Description ?? "a plug-in reports unhealthy");
            }
            else if (result.Status == HealthStatus.Degraded)
            {
                degraded.Add(result.Description ?? "a plug-in reports degraded");
            }
        }

        if (services.GetKeyedService<DeliveryAccount>(accountName) is { } delivery)
        {
            await CheckDeliveryAsync(delivery, data, degraded, cancellationToken).ConfigureAwait(false);
        }

        var readOnly = (IReadOnlyDictionary<string, object>)data;
        return unhealthy.Count > 0 ? new HealthCheckResult(context.Registration.FailureStatus, Describe(unhealthy), data: readOnly)
            : degraded.Count > 0 ? HealthCheckResult.Degraded(Describe(degraded), data: readOnly)
            : HealthCheckResult.Healthy("The account can send profile updates.", readOnly);
    }

    private static async Task CheckDeliveryAsync(DeliveryAccount delivery, Dictionary<string, object> data, List<string> degraded, CancellationToken cancellationToken)
    {
        var statistics = await delivery.Store.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        data["pending.updates"] = statistics.PendingUpdates;
        if (statistics.OldestDeferredAt is { } oldest)
        {
            var age = delivery.Time.GetUtcNow() - oldest;
            data["pending.oldest_age_seconds"] = Math.Round(age.TotalSeconds);
            if (age > delivery.Options.GiveUpAfter / 2)
            {
                degraded.Add(Invariant($"the oldest pending update waits for {age.TotalHours:0.#} h, over half of GiveUpAfter ({delivery.Options.GiveUpAfter.TotalHours:0.#} h)"));
            }
        }

        long landed = delivery.Verified(VerificationOutcome.Landed);
        long superseded = delivery.Verified(VerificationOutcome.Superseded);
        long notLanded = delivery.Verified(VerificationOutcome.NotLanded);
        long missing = delivery.Verified(VerificationOutcome.ProfileMissing);
        long total = landed + superseded + notLanded + missing;
        data["verified.landed"] = landed;
        data["verified.superseded"] = superseded;
        data["verified.not_landed"] = notLanded;
        data["verified.profile_missing"] = missing;
        if (total >= MinimumVerifiedForRate)
        {
            // A superseded value landed first and was overwritten later: it counts as landed.
            double rate = (double)(landed + superseded) / total;
            data["verified.landing_rate"] = Math.Round(rate, 4);
            if (rate < delivery.Options.MinimumLandingRate)
            {
                degraded.Add(Invariant($"the verified landing rate is {rate:P1}, under {delivery.Options.MinimumLandingRate:P1}"));
            }
        }
    }

    private static string Describe(List<string> reasons) => string.Join("; ", reasons) + ".";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
