using System.Collections.Generic;
using System.Diagnostics.Metrics;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Delivery;

/// <summary>
/// The delivery-assurance instruments, on the SDK's one <see cref="Meter"/> (<c>TargetProfileUpdate</c>). One instance per
/// container; every measurement carries the account (its registration name, <c>default</c> for the default account) and
/// otherwise only values from small fixed sets: never ids or attribute values.
/// </summary>
internal sealed class DeliveryTelemetry
{
    public DeliveryTelemetry(ProfileApiInstruments telemetry)
    {
        var meter = telemetry.Meter;
        Deferred = meter.CreateCounter<long>("target.profile_delivery.deferred", "{update}", "Updates held because their profile does not exist yet.");
        Delivered = meter.CreateCounter<long>("target.profile_delivery.delivered", "{update}", "Deferred updates sent once their profile existed.");
        GaveUp = meter.CreateCounter<long>("target.profile_delivery.gave_up", "{update}", "Deferred updates given up, by reason (profile_never_appeared, send_failed).");
        Rejected = meter.CreateCounter<long>("target.profile_delivery.rejected", "{update}", "Updates refused because their profile does not exist (UnknownProfiles = Reject).");
        ExistenceChecks = meter.CreateCounter<long>("target.profile_delivery.existence_checks", "{request}", "Profile fetches made to check that a profile exists, by result (exists, missing).");
        Verified = meter.CreateCounter<long>("target.profile_delivery.verified", "{update}", "Sampled accepted updates read back, by outcome (landed, not_landed, superseded, profile_missing, failed).");
    }

    public Counter<long> Deferred { get; }

    public Counter<long> Delivered { get; }

    public Counter<long> GaveUp { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> ExistenceChecks { get; }

    public Counter<long> Verified { get; }

    public static KeyValuePair<string, object?> Account(string tag) => new("account", tag);

    public static string AccountTag(string name) => name.Length == 0 ? "default" : name;

    public static string Tag(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Landed => "landed",
        VerificationOutcome.NotLanded => "not_landed",
        VerificationOutcome.Superseded => "superseded",
        _ => "profile_missing",
    };

    public static string Tag(UndeliverableReason reason) => reason switch
    {
        UndeliverableReason.ProfileNeverAppeared => "profile_never_appeared",
        UndeliverableReason.Suppressed => "suppressed",
        _ => "send_failed",
    };
}
