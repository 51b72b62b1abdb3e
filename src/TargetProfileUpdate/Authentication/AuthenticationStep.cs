namespace TargetProfileUpdate;

/// <summary>Which step of authentication failed.</summary>
public enum AuthenticationStep
{
    /// <summary>The profile endpoint refused the token (401 or 403), after one forced refresh and one resend.</summary>
    ProfileEndpoint = 0,

    /// <summary>Adobe IMS refused to issue an access token (<c>POST /ims/token/v3</c>).</summary>
    Ims = 1,

    /// <summary>The Target Admin API did not give the profile token (<c>/target/authentication/token</c>), or refused the
    /// IMS token (401/403) for another of its calls (the attribute catalog, <c>/target/profileattributes/mbox</c>).</summary>
    AdminApi = 2,

    /// <summary>The token provider (a custom <see cref="IProfileApiTokenProvider"/>) returned a token that cannot be sent:
    /// it is not visible ASCII (a control character could split the request). Nothing was sent.</summary>
    TokenProvider = 3,
}
