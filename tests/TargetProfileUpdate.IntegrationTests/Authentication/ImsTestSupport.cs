using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Authentication;

/// <summary>Captures every log entry of every category at every level, with its exception text.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Text)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception) + " | " + state + (exception is null ? string.Empty : " | " + exception)));
    }
}

/// <summary>An emulator with the IMS flow on, and the SDK pointed at it, both on one fake clock.</summary>
internal sealed class ImsRig : IAsyncDisposable
{
    public const string ClientId = "client-id-1234";
    public const string ClientSecret = "p@ss+w/rd=SECRET&x y";
    public const string Tenant = "acme";

    private ImsRig(TargetEmulator emulator, FakeTimeProvider time, ServiceProvider services, LogCapture logs)
    {
        Emulator = emulator;
        Time = time;
        Services = services;
        Logs = logs;
    }

    public TargetEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public IProfileUpdateClient Client => Services.GetRequiredService<IProfileUpdateClient>();

    public IProfileFetchClient Fetch => Services.GetRequiredService<IProfileFetchClient>();

    public int ProfileRequests => Emulator.GetRequests().Count(r => r.Path.Contains("/profile/update", StringComparison.Ordinal) || r.Path.StartsWith("/rest/v1/profiles", StringComparison.Ordinal));

    public static async Task<ImsRig> StartAsync(
        Action<TargetEmulatorOptions>? emulator = null,
        Action<TargetProfileUpdateOptions>? sdk = null,
        string secret = ClientSecret)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var emulatorOptions = new TargetEmulatorOptions
        {
            ImsClientId = ClientId,
            ImsClientSecret = ClientSecret,
            Tenant = Tenant,
            ImsTokenLifetime = TimeSpan.FromHours(1),
            ProfileTokenLifetime = TimeSpan.FromHours(1),
            PropagationDelay = TimeSpan.Zero,
            TimeProvider = time,
        };
        emulator?.Invoke(emulatorOptions);
        var server = await TargetEmulator.StartAsync(emulatorOptions);
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = server.ClientCode;
            o.BaseAddress = server.BaseAddress;

            // The clock is fake: a retry delay would never elapse, so none of these flows may depend on one.
            o.Resilience.MaxRetryAttempts = 0;
            o.AdobeIms.ClientId = ClientId;
            o.AdobeIms.ClientSecret = secret;
            o.AdobeIms.Scopes = "openid,AdobeID,target_sdk";
            o.AdobeIms.Tenant = Tenant;
            o.AdobeIms.ImsTokenEndpoint = new Uri(server.BaseAddress, "ims/token/v3");
            o.AdobeIms.AdminApiBaseAddress = server.BaseAddress;
            sdk?.Invoke(o);
        });
        return new ImsRig(server, time, services.BuildServiceProvider(), logs);
    }

    /// <summary>What another system does: its own IMS token, then <c>POST</c> to the Admin API, which rotates the profile token.</summary>
    public async Task<string> RotateLikeSomeoneElseAsync()
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        using var ims = await http.PostAsync("ims/token/v3", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = "openid",
        }));
        ims.EnsureSuccessStatusCode();
        string imsToken = JsonDocument.Parse(await ims.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        using var rotate = new HttpRequestMessage(HttpMethod.Post, Tenant + "/target/authentication/token?authorizationScope=profile_api");
        rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", imsToken);
        rotate.Headers.Add("X-Api-Key", ClientId);
        using var answer = await http.SendAsync(rotate);
        answer.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
