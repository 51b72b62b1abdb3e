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
/// The OAuth Server-to-Server flow and the Target Admin API, on the emulator's own address: Adobe IMS
/// (<c>POST /ims/token/v3</c>), the profile token (<c>GET|POST /{tenant}/target/authentication/token</c>) and the
/// tenant's profile attributes (<c>GET /{tenant}/target/profileattributes/mbox</c>).
/// </summary>
internal static class AuthEndpoints
{
    public const string AdminMediaType = "application/vnd.adobe.target.v1+json";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/ims/token/v3", (HttpContext context) => ImsTokenAsync(context, state));
        app.MapMethods("/{tenant}/target/authentication/token", ["GET", "POST"], (HttpContext context, string tenant) => AdminTokenAsync(context, tenant, state));
        app.MapGet("/{tenant}/target/profileattributes/mbox", (HttpContext context, string tenant) => ProfileAttributesAsync(context, tenant, state));
    }

    /// <summary>
    /// IMS: <c>grant_type</c>, <c>client_id</c>, <c>client_secret</c> and <c>scope</c> (required) from the form body or,
    /// as Adobe's IMS reference allows, from the query (the body wins when both carry one).
    /// </summary>
    private static async Task ImsTokenAsync(HttpContext context, EmulatorState state)
    {
        var tokens = state.Tokens;
        tokens.CountImsCall();
        var request = context.Request;
        if ((await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.ImsToken, string.Empty, drainBody: true).ConfigureAwait(false)).Answered)
        {
            return;
        }

        string rawBody = string.Empty;
        IFormCollection? form = null;
        if (request.HasFormContentType)
        {
            request.EnableBuffering();
            form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            request.Body.Position = 0;
            rawBody = await new System.IO.StreamReader(request.Body, System.Text.Encoding.Latin1).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        else if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            await Responses.DrainAsync(context).ConfigureAwait(false);
            await ImsErrorAsync(context, state, string.Empty, 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded").ConfigureAwait(false);
            return;
        }

        string Parameter(string name) => form?[name].ToString() is { Length: > 0 } fromBody ? fromBody : request.Query[name].ToString();

        string clientId = Parameter("client_id");
        if (!string.Equals(Parameter("grant_type"), "client_credentials", StringComparison.Ordinal))
        {
            await ImsErrorAsync(context, state, rawBody, 400, "unsupported_grant_type", "grant_type must be client_credentials").ConfigureAwait(false);
            return;
        }

        if (clientId.Length == 0)
        {
            await ImsErrorAsync(context, state, rawBody, 400, "invalid_request", "missing client_id parameter").ConfigureAwait(false);
            return;
        }

        if (Parameter("scope").Length == 0)
        {
            await ImsErrorAsync(context, state, rawBody, 400, "invalid_scope", "missing scope parameter: copy the scopes of the credential from the Developer Console").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(clientId, state.Tokens.ClientId, StringComparison.Ordinal))
        {
            await ImsErrorAsync(context, state, rawBody, 401, "invalid_client", "invalid client_id parameter").ConfigureAwait(false);
            return;
        }

        if (!tokens.TryIssueImsToken(clientId, Parameter("client_secret"), out string token, out var lifetime))
        {
            await ImsErrorAsync(context, state, rawBody, 401, "invalid_client", "invalid client_secret parameter").ConfigureAwait(false);
            return;
        }

        var json = new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
        };
        await Responses.AnswerJsonAsync(context, state, rawBody, 200, "ims-token", json).ConfigureAwait(false);
    }

    private static async Task AdminTokenAsync(HttpContext context, string tenant, EmulatorState state)
    {
        var tokens = state.Tokens;
        tokens.CountAdminCall();
        if (!await AdminApiAllowsAsync(context, tenant, state, EmulatorFaultTarget.AdminToken).ConfigureAwait(false))
        {
            return;
        }

        var request = context.Request;
        if (!string.Equals(request.Query["authorizationScope"].ToString(), "profile_api", StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, state, 400, "bad-request", "BadRequest", "authorizationScope must be profile_api").ConfigureAwait(false);
            return;
        }

        bool rotate = HttpMethods.IsPost(request.Method);
        (string Token, TimeSpan ExpiresIn)? current = rotate ? tokens.RotateProfileToken() : tokens.CurrentProfileToken();
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

        // Adobe's spec: GET reads the token (200), POST generates a new one (201 Created).
        await Responses.AnswerJsonAsync(context, state, string.Empty, rotate ? 201 : 200, rotate ? "profile-token-rotated" : "profile-token", json, AdminMediaType).ConfigureAwait(false);
    }

    /// <summary>The Admin API's list of the tenant's profile attributes, in Adobe's sample shape: every name stored or seeded.</summary>
    private static async Task ProfileAttributesAsync(HttpContext context, string tenant, EmulatorState state)
    {
        if (!await AdminApiAllowsAsync(context, tenant, state, EmulatorFaultTarget.ProfileAttributes).ConfigureAwait(false))
        {
            return;
        }

        var names = new JsonArray();
        foreach (string name in state.AttributeNames())
        {
            names.Add(name);
        }

        await Responses.AnswerJsonAsync(context, state, string.Empty, 200, "profile-attributes", new JsonObject { ["mboxProfileAttributes"] = names }, AdminMediaType).ConfigureAwait(false);
    }

    /// <summary>
    /// What every Admin API call passes first: its fault, the per-minute limit shared with the bulk API (503), the IMS token
    /// (401), <c>X-Api-Key</c> (401), the tenant (404) and <c>Accept</c> (406). Answers and returns false when one fails.
    /// </summary>
    private static async Task<bool> AdminApiAllowsAsync(HttpContext context, string tenant, EmulatorState state, EmulatorFaultTarget target)
    {
        var request = context.Request;
        if ((await Responses.ApplyFaultAsync(context, state, target, string.Empty, drainBody: true).ConfigureAwait(false)).Answered)
        {
            return false;
        }

        if (!Responses.TryTakeBulkCall(context, state))
        {
            await AdminErrorAsync(context, state, 503, "rate-limited", "ServiceUnavailable", "Too many calls: the admin and bulk APIs allow a limited number of calls per minute").ConfigureAwait(false);
            return false;
        }

        if (!ImsAuthorization.HasImsToken(request, state))
        {
            await AdminErrorAsync(context, state, 401, "unauthorized", "Unauthorized", "The IMS access token is missing, invalid or expired").ConfigureAwait(false);
            return false;
        }

        if (!ImsAuthorization.HasApiKey(request, state))
        {
            await AdminErrorAsync(context, state, 401, "unauthorized", "Unauthorized", "The X-Api-Key header must be the client id of the credential").ConfigureAwait(false);
            return false;
        }

        if (!string.Equals(tenant, state.Tokens.Tenant, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, state, 404, "unknown-tenant", "NotFound", "Unknown tenant").ConfigureAwait(false);
            return false;
        }

        if (!AcceptsAdminMediaType(request))
        {
            await AdminErrorAsync(context, state, 406, "not-acceptable", "NotAcceptable", "Accept must allow " + AdminMediaType).ConfigureAwait(false);
            return false;
        }

        return true;
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
