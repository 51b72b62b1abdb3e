using System;
using System.Net;
using System.Net.Http;

namespace TargetProfileUpdate.Http;

/// <summary>The primary handler every profile update client uses, with or without DI.</summary>
internal static class HttpHandlerFactory
{
    /// <summary>
    /// Redirects are not followed (a 3xx is an error, so a body is never re-sent to another origin),
    /// cookies are off, and pooled connections are recycled so DNS changes are seen.
    /// </summary>
    public static SocketsHttpHandler CreatePrimaryHandler(int maxConnectionsPerServer = 100) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxConnectionsPerServer = maxConnectionsPerServer,
    };
}
