using System;

namespace TargetProfileUpdate.Authentication;

/// <summary>What a token must be before it goes into a header: visible ASCII only (<c>!</c> to <c>~</c>), whatever its source.</summary>
internal static class TokenRules
{
    /// <summary>Whether every character is visible ASCII (no space, control character, CR/LF or non-ASCII).</summary>
    public static bool IsSendable(ReadOnlySpan<char> token)
    {
        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return !token.IsEmpty;
    }

    /// <summary>Throws an authentication failure of <paramref name="step"/> when the token is empty, blank or not sendable (the message never
    /// shows the token). <paramref name="statusCode"/> and <paramref name="attempts"/> describe the answer that carried the
    /// token (IMS, Admin API), so the failure reports the requests really sent; none for a token provider's token.</summary>
    public static void ThrowIfNotSendable(string token, AuthenticationStep step, string source, int? statusCode = null, int attempts = 0)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ProfileApiAuthenticationException(step,
                source + " gave an empty or blank token; it was not used, and nothing was sent with it."
                + (step == AuthenticationStep.TokenProvider ? " A provider with no token to give returns ProfileApiToken.None (a null value), which sends no Authorization header." : string.Empty),
                statusCode, attempts: attempts);
        }

        if (!IsSendable(token))
        {
            throw new ProfileApiAuthenticationException(step,
                source + " gave a token that is not visible ASCII (it contains a space, a control character such as CR/LF, or a non-ASCII character); it was not used, and nothing was sent with it.",
                statusCode, attempts: attempts);
        }
    }
}
