using System;
using Microsoft.AspNetCore.Http;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>The <c>Authorization: Bearer</c> parsing every endpoint shares, and the IMS checks of the Admin API and the Privacy Service.</summary>
internal static class ImsAuthorization
{
    /// <summary>
    /// The token of an <c>Authorization</c> value whose scheme is <c>Bearer</c>, in any case (RFC 9110: schemes are
    /// case-insensitive; IMS itself answers <c>"token_type":"bearer"</c>), followed by one or more spaces; otherwise
    /// <see langword="null"/>.
    /// </summary>
    public static string? BearerToken(string? authorization)
    {
        if (authorization is null || authorization.Length < 7 || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string token = authorization[7..].Trim(' ');
        return token.Length == 0 || token.Contains(' ', StringComparison.Ordinal) ? null : token;
    }

    /// <summary>Whether the request carries an unexpired IMS access token this emulator issued.</summary>
    public static bool HasImsToken(HttpRequest request, EmulatorState state) =>
        BearerToken(request.Headers.Authorization.ToString()) is { } token && state.Tokens.IsValidImsToken(token);

    /// <summary>Whether <c>X-Api-Key</c> is the client id of the credential.</summary>
    public static bool HasApiKey(HttpRequest request, EmulatorState state) =>
        state.Tokens.ClientId is { } clientId && string.Equals(request.Headers["X-Api-Key"].ToString(), clientId, StringComparison.Ordinal);
}
