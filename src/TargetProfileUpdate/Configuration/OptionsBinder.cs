using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Binds <see cref="TargetProfileUpdateOptions"/> from configuration without reflection, so the package stays
/// trimming- and Native-AOT-safe (the reflection binder is annotated as unsafe for both). Keys are matched
/// case-insensitively, as the binder does; a malformed value fails naming its key, never showing the value.
/// </summary>
internal static class OptionsBinder
{
    public static void Bind(IConfiguration configuration, TargetProfileUpdateOptions options)
    {
        if (configuration["ClientCode"] is { } clientCode)
        {
            options.ClientCode = clientCode;
        }

        if (configuration["AuthorizationToken"] is { } token)
        {
            options.AuthorizationToken = token;
        }

        Bind(configuration, "BaseAddress", ParseUri, v => options.BaseAddress = v);
        Bind(configuration, "Method", ParseMethod, v => options.Method = v);
        Bind(configuration, "MaxGetRequestBytes", ParseInt, v => options.MaxGetRequestBytes = v);
        Bind(configuration, "MaxPostRequestBytes", ParseInt, v => options.MaxPostRequestBytes = v);
        Bind(configuration, "MaxConnectionsPerServer", ParseInt, v => options.MaxConnectionsPerServer = v);

        var imsSection = configuration.GetSection("AdobeIms");
        var ims = options.AdobeIms;
        Bind(imsSection, "ClientId", ParseString, v => ims.ClientId = v);
        Bind(imsSection, "ClientSecret", ParseString, v => ims.ClientSecret = v);
        Bind(imsSection, "Scopes", ParseString, v => ims.Scopes = v);
        Bind(imsSection, "Tenant", ParseString, v => ims.Tenant = v);
        Bind(imsSection, "ImsTokenEndpoint", ParseUri, v => ims.ImsTokenEndpoint = v!);
        Bind(imsSection, "AdminApiBaseAddress", ParseUri, v => ims.AdminApiBaseAddress = v!);
        Bind(imsSection, "RefreshBeforeExpiry", ParseTimeSpan, v => ims.RefreshBeforeExpiry = v);
        Bind(imsSection, "CreateTokenIfMissing", ParseBool, v => ims.CreateTokenIfMissing = v);

        var section = configuration.GetSection("Resilience");
        var r = options.Resilience;
        Bind(section, "Enabled", ParseBool, v => r.Enabled = v);
        Bind(section, "MaxRetryAttempts", ParseInt, v => r.MaxRetryAttempts = v);
        Bind(section, "BaseDelay", ParseTimeSpan, v => r.BaseDelay = v);
        Bind(section, "MaxDelay", ParseTimeSpan, v => r.MaxDelay = v);
        Bind(section, "MaxRetryAfter", ParseTimeSpan, v => r.MaxRetryAfter = v);
        Bind(section, "AttemptTimeout", ParseTimeSpan, v => r.AttemptTimeout = v);
        Bind(section, "TotalTimeout", ParseTimeSpan, v => r.TotalTimeout = v);
        Bind(section, "CircuitBreakerEnabled", ParseBool, v => r.CircuitBreakerEnabled = v);
        Bind(section, "CircuitBreakerFailureRatio", ParseDouble, v => r.CircuitBreakerFailureRatio = v);
        Bind(section, "CircuitBreakerMinimumThroughput", ParseInt, v => r.CircuitBreakerMinimumThroughput = v);
        Bind(section, "CircuitBreakerSamplingDuration", ParseTimeSpan, v => r.CircuitBreakerSamplingDuration = v);
        Bind(section, "CircuitBreakerBreakDuration", ParseTimeSpan, v => r.CircuitBreakerBreakDuration = v);

        var quotaSection = configuration.GetSection("Quota");
        var q = options.Quota;
        Bind(quotaSection, "Enabled", ParseBool, v => q.Enabled = v);
        Bind(quotaSection, "PermitLimit", ParseInt, v => q.PermitLimit = v);
        Bind(quotaSection, "Window", ParseTimeSpan, v => q.Window = v);
        Bind(quotaSection, "RequestsPerSecond", ParseDouble, v => q.RequestsPerSecond = v);
    }

    private static (bool, string) ParseString(string v) => (true, v);

    private static (bool, int) ParseInt(string v) => (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i), i);

    private static (bool, double) ParseDouble(string v) => (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d), d);

    private static (bool, bool) ParseBool(string v) => (bool.TryParse(v, out bool b), b);

    private static (bool, TimeSpan) ParseTimeSpan(string v) => (TimeSpan.TryParse(v, CultureInfo.InvariantCulture, out var t), t);

    private static (bool, Uri?) ParseUri(string v) => (Uri.TryCreate(v, UriKind.Absolute, out var uri), uri);

    private static (bool, ProfileUpdateMethod) ParseMethod(string v) =>
        (Enum.TryParse(v, ignoreCase: true, out ProfileUpdateMethod m) && Enum.IsDefined(m), m);

    /// <summary>Parses and assigns a key that is present and non-empty; a malformed value throws, naming the key.</summary>
    private static void Bind<T>(IConfiguration configuration, string key, Func<string, (bool Ok, T Value)> parse, Action<T> assign)
    {
        if (configuration[key] is not { Length: > 0 } text)
        {
            return;
        }

        var (ok, value) = parse(text);
        if (!ok)
        {
            string path = configuration is IConfigurationSection section ? section.Path + ":" + key : key;
            throw new InvalidOperationException("The configuration value of '" + path + "' is not a valid " + typeof(T).Name + ".");
        }

        assign(value);
    }
}
