using System;
using System.Globalization;

namespace TargetProfileUpdate.Cli.Output;

/// <summary>
/// One line describing why something failed, from what the SDK wrote: its message (which never holds a token,
/// an id or a value), the HTTP status and the attempts. Never the response body.
/// </summary>
internal static class ErrorText
{
    public static string Describe(Exception exception)
    {
        string message = OneLine(exception.Message);
        return exception switch
        {
            ProfileApiException { StatusCode: { } status } api => string.Create(CultureInfo.InvariantCulture, $"HTTP {status} after {api.Attempts} attempt(s): {message}"),
            ProfileApiException api when api.Attempts > 0 => string.Create(CultureInfo.InvariantCulture, $"after {api.Attempts} attempt(s): {message}"),
            _ => message,
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
