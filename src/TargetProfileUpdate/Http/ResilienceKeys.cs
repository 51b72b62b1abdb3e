using Polly;

namespace TargetProfileUpdate.Http;

/// <summary>
/// The typed keys of what a call carries in Polly's <see cref="ResilienceContext"/> (as <c>ResilienceKeys</c> does in
/// Microsoft.Extensions.Http.Resilience). Only attempt facts travel there: the request, the token and the verdict stay with
/// the call envelope.
/// </summary>
internal static class ResilienceKeys
{
    /// <summary>The attempt facts of the call (written by the attempt and the admission, read by the strategies).</summary>
    public static readonly ResiliencePropertyKey<AttemptFacts> Attempt = new("TargetProfileUpdate.Attempt");
}
