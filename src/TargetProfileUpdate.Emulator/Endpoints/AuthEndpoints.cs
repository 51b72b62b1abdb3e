using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// The token endpoints of the OAuth Server-to-Server flow, on the emulator's own address: Adobe IMS
/// (<c>POST /ims/token/v3</c>) and the Target Admin API (<c>GET|POST /{tenant}/target/authentication/token</c>).
/// </summary>
internal static class AuthEndpoints
{
    public const string AdminMediaType = "application/vnd.adobe.target.v1+json";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/ims/token/v3", (HttpContext context) => ImsTokenAsync(context, state));
        app.MapMethods("/{tenant}/target/authentication/token", ["GET", "POST"], (HttpContext context, string tenant) => AdminTokenAsync(context, tenant, state));
    }

    private static async Task ImsTokenAsync(HttpContext context, EmulatorState state)
    {
        var tokens = state.Tokens;
        tokens.CountImsCall();
        var request = context.Request;
        if ((await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.ImsToken, "(not kept)", drainBody: true).ConfigureAwait(false)).Answered)
        {
            return;
        }

        if (request.Query.ContainsKey("client_id") || request.Query.ContainsKey("client_secret"))
        {
            await Responses.DrainAsync(context).ConfigureAwait(false);
            await ImsErrorAsync(context, state, "(not kept)", 400, "invalid_request", "Client credentials must be sent in the request body, not in the query string").ConfigureAwait(false);
            return;
        }

        if (!request.HasFormContentType)
        {
            await Responses.DrainAsync(context).ConfigureAwait(false);
            await ImsErrorAsync(context, state, "(not kept)", 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded").ConfigureAwait(false);
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string clientId = form["client_id"].ToString();
        string recorded = string.Create(CultureInfo.InvariantCulture, $"grant_type={Uri.EscapeDataString(form["grant_type"].ToString())}&client_id={Uri.EscapeDataString(clientId)}&client_secret=***&scope={Uri.EscapeDataString(form["scope"].ToString())}");
        if (!string.Equals(form["grant_type"].ToString(), "client_credentials", StringComparison.Ordinal))
        {
            await ImsErrorAsync(context, state, recorded, 400, "unsupported_grant_type", "grant_type must be client_credentials").ConfigureAwait(false);
            return;
        }

        if (clientId.Length == 0)
        {
            await ImsErrorAsync(context, state, recorded, 400, "invalid_request", "missing client_id parameter").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(clientId, state.Tokens.ClientId, StringComparison.Ordinal))
        {
            await ImsErrorAsync(context, state, recorded, 401, "invalid_client", "invalid client_id parameter").ConfigureAwait(false);
            return;
        }

        if (!tokens.TryIssueImsToken(clientId, form["client_secret"].ToString(), out string token, out var lifetime))
        {
            await ImsErrorAsync(context, state, recorded, 401, "invalid_client", "invalid client_secret parameter").ConfigureAwait(false);
            return;
        }

        var json = new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
        };
        await Responses.AnswerJsonAsync(context, state, recorded, 200, "ims-token", json).ConfigureAwait(false);
    }

    private static async Task AdminTokenAsync(HttpContext context, string tenant, EmulatorState state)
    {
        var tokens = state.Tokens;
        tokens.CountAdminCall();
        var request = context.Request;
        if ((await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.AdminToken, string.Empty, drainBody: true).ConfigureAwait(false)).Answered)
        {
            return;
        }

        if (!Responses.TryTakeBulkCall(context, state))
        {
            await AdminErrorAsync(context, state, 503, "rate-limited", "ServiceUnavailable", "Too many calls: the admin and bulk APIs allow a limited number of calls per minute").ConfigureAwait(false);
            return;
        }

        string authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.IsValidImsToken(authorization[7..]))
        {
            await AdminErrorAsync(context, state, 401, "unauthorized", "Unauthorized", "The IMS access token is missing, invalid or expired").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(request.Headers["X-Api-Key"].ToString(), tokens.ClientId, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, state, 401, "unauthorized", "Unauthorized", "The X-Api-Key header must be the client id of the credential").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(tenant, tokens.Tenant, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, state, 404, "unknown-tenant", "NotFound", "Unknown tenant").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(request.Query["authorizationScope"].ToString(), "profile_api", StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, state, 400, "bad-request", "BadRequest", "authorizationScope must be profile_api").ConfigureAwait(false);
            return;
        }

        if (!AcceptsAdminMediaType(request))
        {
            await AdminErrorAsync(context, state, 406, "not-acceptable", "NotAcceptable", "Accept must allow " + AdminMediaType).ConfigureAwait(false);
            return;
        }

        (string Token, TimeSpan ExpiresIn)? current = HttpMethods.IsPost(request.Method) ? tokens.RotateProfileToken() : tokens.CurrentProfileToken();
        if (current is not { } token)
        {
            await AdminErrorAsync(context, state, 404, "no-token-yet", "NotFound", "No profile API token has been generated for this tenant yet: generate one in the Target UI, or POST to this endpoint").ConfigureAwait(false);
            return;
        }

        var json = new JsonObject
        {
            ["accessToken"] = token.Token,
            ["tokenType"] = "bearer",
            ["scope"] = "profile_api",
            ["expiresIn"] = (long)token.ExpiresIn.TotalSeconds,
        };
        string outcome = HttpMethods.IsPost(request.Method) ? "profile-token-rotated" : "profile-token";
        await Responses.AnswerJsonAsync(context, state, string.Empty, 200, outcome, json, AdminMediaType).ConfigureAwait(false);
    }

    private static bool AcceptsAdminMediaType(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        foreach (var value in accept)
        {
            if (value.Quality is not 0 && (value.MatchesAllTypes
                || value.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                || value.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || value.MediaType.Equals(AdminMediaType, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IMS error: <c>{"error","error_description"}</c>.</summary>
    private static Task ImsErrorAsync(HttpContext context, EmulatorState state, string recordedBody, int status, string error, string description) =>
        Responses.AnswerJsonAsync(context, state, recordedBody, status, "ims-" + error, new JsonObject { ["error"] = error, ["error_description"] = description });

    /// <summary>An Admin API error, in the documented shape <c>{httpStatus, requestId, requestTime, errors[]}</c>.</summary>
    private static Task AdminErrorAsync(HttpContext context, EmulatorState state, int status, string outcome, string code, string message)
    {
        var json = new JsonObject
        {
            ["httpStatus"] = status,
            ["requestId"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["requestTime"] = state.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["errors"] = new JsonArray(new JsonObject { ["errorCode"] = code, ["message"] = message }),
        };
        return Responses.AnswerJsonAsync(context, state, string.Empty, status, outcome, json, AdminMediaType);
    }
}
