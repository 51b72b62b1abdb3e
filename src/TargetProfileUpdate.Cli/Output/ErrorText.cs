using System;
using System.Globalization;

namespace TargetProfileUpdate.Cli.Output;

/// <summary>
/// One line describing why something failed, from what the SDK wrote: its message (which never holds a token, an id or a
/// value, and already names the HTTP status and the attempts), never the response body. Authentication failures get the
/// tool's own hint, in the tool's terms (environment variables, not SDK option names).
/// </summary>
internal static class ErrorText
{
    /// <summary>What to do when the profile API refuses the token, in the tool's terms.</summary>
    public const string AuthenticationHint =
        "Set TARGET_PROFILE_TOKEN to the account's profile API token (Target > Administration > Implementation > Profile API), or TARGET_IMS_CLIENT_ID, TARGET_IMS_CLIENT_SECRET, TARGET_IMS_SCOPES and TARGET_TENANT to fetch it; leave them unset when the account does not require authentication.";

    /// <summary>Why a row refused by the open circuit breaker was not sent.</summary>
    public const string CircuitOpenReason =
        "the server failed repeatedly and the circuit breaker was open, so this row was never sent (import the file again once the server answers).";

    public static string Describe(Exception exception)
    {
        if (IsAuthentication(exception))
        {
            var auth = exception as ProfileApiAuthenticationException ?? (ProfileApiAuthenticationException)exception.InnerException!;
            int? status = (exception as ProfileApiException)?.StatusCode ?? auth.StatusCode;
            string what = auth.Step switch
            {
                AuthenticationStep.Ims => "Adobe IMS did not issue an access token",
                AuthenticationStep.AdminApi => "the Target Admin API did not issue the profile API token",
                _ => "Adobe Target refused the request's authentication",
            };
            return string.Create(CultureInfo.InvariantCulture, $"{what}{(status is { } s ? $" (HTTP {s})" : string.Empty)}. {AuthenticationHint}");
        }

        if (IsCircuitOpen(exception))
        {
            return "not sent: " + CircuitOpenReason;
        }

        string message = OneLine(exception.Message);
        return exception switch
        {
            ProfileApiException { StatusCode: { } status } when !message.Contains("HTTP " + status.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) =>
                string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {message}"),
            _ => message,
        };
    }

    /// <summary>Whether the failure is an authentication failure (every endpoint throws it as such).</summary>
    public static bool IsAuthentication(Exception exception) => exception is ProfileApiAuthenticationException;

    /// <summary>Whether the call was refused by the open circuit breaker before anything went on the wire.</summary>
    public static bool IsCircuitOpen(Exception exception) =>
        exception is ProfileApiException { Attempts: 0, Reason: ProfileApiFailureReason.CircuitOpen };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
