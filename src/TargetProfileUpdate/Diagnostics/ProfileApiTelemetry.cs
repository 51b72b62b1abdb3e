namespace TargetProfileUpdate;

/// <summary>
/// The names to subscribe to the SDK's traces and metrics, for example
/// <c>builder.Services.AddOpenTelemetry().WithTracing(t =&gt; t.AddSource(ProfileApiTelemetry.ActivitySourceName)).WithMetrics(m =&gt; m.AddMeter(ProfileApiTelemetry.MeterName))</c>.
/// </summary>
/// <remarks>
/// Every call (update, fetch, bulk upload and status, the IMS and Admin API token calls) is one activity with one child
/// activity per HTTP attempt, and records <c>target.profile_api.duration</c> tagged <c>endpoint</c>, <c>account</c> and
/// <c>outcome</c>. Tags come from small fixed sets: never ids, attribute values, URLs or tokens.
/// </remarks>
public static class ProfileApiTelemetry
{
    /// <summary>The name of the SDK's <see cref="System.Diagnostics.ActivitySource"/>: <c>TargetProfileUpdate</c>.</summary>
    public const string ActivitySourceName = "TargetProfileUpdate";

    /// <summary>The name of the SDK's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>TargetProfileUpdate</c>.</summary>
    public const string MeterName = "TargetProfileUpdate";
}
