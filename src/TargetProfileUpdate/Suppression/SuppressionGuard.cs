using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Suppression;

/// <summary>
/// The one suppression check of every write path (updates, bulk rows, deferred deliveries): reads the list failing closed,
/// and counts and logs a refusal (source from a fixed set: update, bulk_row, delivery); never the id.
/// </summary>
internal static class SuppressionGuard
{
    public const string Update = "update";
    public const string BulkRow = "bulk_row";
    public const string Delivery = "delivery";

    public static void Record(ProfileApiInstruments telemetry, ILogger logger, string source)
    {
        telemetry.Suppressed.Add(1, new KeyValuePair<string, object?>("source", source));
        Log.Suppressed(logger, source);
    }

    /// <summary>Awaits a lookup of the list; a list that cannot be read is a transient
    /// <see cref="ProfileApiFailureReason.SuppressionListUnavailable"/> failure (fail closed: nothing is sent); a list written
    /// with another hash secret (<see cref="ProfileApiFailureReason.SuppressionListSecretMismatch"/>) is thrown as is.</summary>
    public static async ValueTask<bool> IsSuppressedAsync(ValueTask<bool> lookup, CancellationToken cancellationToken)
    {
        try
        {
            return await lookup.ConfigureAwait(false);
        }
        catch (ProfileApiException ex) when (ex.Reason is ProfileApiFailureReason.SuppressionListUnavailable or ProfileApiFailureReason.SuppressionListSecretMismatch)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The list's own exception is not kept: its message may name the stored hash.
            throw new ProfileApiException(ProfileApiFailureReason.SuppressionListUnavailable,
                "The suppression list could not be read (" + ex.GetType().Name + "), so nothing was sent (it may be for an erased person). Try again when the list is reachable.",
                statusCode: null, responseBody: null, attempts: 0, isTransient: true, innerException: null);
        }
    }
}
