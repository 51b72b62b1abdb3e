namespace TargetProfileUpdate;

/// <summary>Which HTTP method the client uses for an update.</summary>
public enum ProfileUpdateMethod
{
    /// <summary>GET when the whole request URL fits <see cref="TargetProfileUpdateOptions.MaxGetRequestBytes"/>;
    /// otherwise POST when the body fits <see cref="TargetProfileUpdateOptions.MaxPostRequestBytes"/>;
    /// otherwise <see cref="ProfileUpdateTooLargeException"/> before anything is sent. The default.</summary>
    Auto = 0,

    /// <summary>Always GET; an update whose URL exceeds the GET limit is refused.</summary>
    Get = 1,

    /// <summary>Always POST with an <c>application/x-www-form-urlencoded</c> body; an update whose body exceeds the POST limit is refused.</summary>
    Post = 2,
}
