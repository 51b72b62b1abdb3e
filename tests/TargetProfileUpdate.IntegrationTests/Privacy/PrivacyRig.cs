using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.IntegrationTests.Authentication;

namespace TargetProfileUpdate.IntegrationTests.Privacy;

/// <summary>
/// The emulator with its IMS flow and Privacy Service on, and the SDK pointed at both (DI, full handler chain), on one fake
/// clock; logs at Trace and the SDK's activities are captured for the privacy checks.
/// </summary>
internal sealed class PrivacyRig : IAsyncDisposable
{
    public const string OrgId = "0123456789ABCDEF01234567@AdobeOrg";
    public const string HashSecret = "integration-hash-secret-0123456789abcdef";
    public static readonly TimeSpan ProcessingDelay = TimeSpan.FromMinutes(10);

    private readonly ActivityListener _listener;

    private PrivacyRig(TargetEmulator emulator, FakeTimeProvider time, ServiceProvider services, LogCapture logs, ActivityListener listener, List<Activity> activities)
    {
        Emulator = emulator;
        Time = time;
        Services = services;
        Logs = logs;
        _listener = listener;
        Activities = activities;
    }

    public TargetEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public List<Activity> Activities { get; }

    public IProfilePrivacyClient Privacy => Services.GetRequiredService<IProfilePrivacyClient>();

    public IProfileUpdateClient Updates => Services.GetRequiredService<IProfileUpdateClient>();

    public IBulkProfileUpdateClient Bulk => Services.GetRequiredService<IBulkProfileUpdateClient>();

    public IProfileFetchClient Fetch => Services.GetRequiredService<IProfileFetchClient>();

    public ISuppressionList Suppression => Services.GetRequiredService<ISuppressionList>();

    public static async Task<PrivacyRig> StartAsync(Action<TargetEmulatorOptions>? emulator = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var options = new TargetEmulatorOptions
        {
            ImsClientId = ImsRig.ClientId,
            ImsClientSecret = ImsRig.ClientSecret,
            Tenant = ImsRig.Tenant,
            ImsOrgId = OrgId,
            ImsTokenLifetime = TimeSpan.FromHours(24),
            ProfileTokenLifetime = TimeSpan.FromHours(24),
            PropagationDelay = TimeSpan.Zero,
            PrivacyProcessingDelay = ProcessingDelay,
            TimeProvider = time,
        };
        emulator?.Invoke(options);
        var server = await TargetEmulator.StartAsync(options);
        var activities = new List<Activity>();
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "TargetProfileUpdate",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        return new PrivacyRig(server, time, CreateServices(server, time, new LogCapture(), out var logs), logs, listener, activities);
    }

    /// <summary>A second, independent container over the same emulator and clock (as another process would have).</summary>
    public ServiceProvider CreateOtherInstance() => CreateServices(Emulator, Time, new LogCapture(), out _);

    /// <summary>The user key the SDK must send for an id: <c>tpu-</c> and the first 16 bytes of HMAC-SHA256(secret, [2, kind, UTF-8 id]).</summary>
    public static string ExpectedKey(ProfileId id)
    {
        byte[] input = [2, (byte)id.Kind, .. System.Text.Encoding.UTF8.GetBytes(id.Value)];
        return "tpu-" + Convert.ToHexString(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(HashSecret), input)[..16]).ToLowerInvariant();
    }

    /// <summary>The exact body Privacy Service must receive for third-party ids.</summary>
    public static string ExpectedBody(IEnumerable<string> thirdPartyIds, string action, string regulation)
    {
        var users = thirdPartyIds.Select(id =>
            "{\"key\":\"" + ExpectedKey(ProfileId.FromThirdPartyId(id)) + "\",\"action\":[\"" + action + "\"],\"userIDs\":[{\"namespace\":\"THIRDPARTYID\",\"value\":\"" + id + "\",\"type\":\"target\"}]}");
        return "{\"companyContexts\":[{\"namespace\":\"imsOrgID\",\"value\":\"" + OrgId + "\"}],\"users\":[" + string.Join(",", users)
            + "],\"include\":[\"Target\"],\"regulation\":\"" + regulation + "\"}";
    }

    public string[] ActivityTexts()
    {
        lock (Activities)
        {
            return [.. Activities.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value).Append(a.StatusDescription ?? string.Empty).Append(a.DisplayName))];
        }
    }

    private static ServiceProvider CreateServices(TargetEmulator server, FakeTimeProvider time, LogCapture capture, out LogCapture logs)
    {
        logs = capture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = server.ClientCode;
            o.BaseAddress = server.BaseAddress;

            // The clock is fake: a retry delay would never elapse, so none of these flows may depend on one.
            o.Resilience.MaxRetryAttempts = 0;
            o.AdobeIms.ClientId = ImsRig.ClientId;
            o.AdobeIms.ClientSecret = ImsRig.ClientSecret;
            o.AdobeIms.Scopes = "openid,AdobeID,target_sdk";
            o.AdobeIms.Tenant = ImsRig.Tenant;
            o.AdobeIms.ImsTokenEndpoint = new Uri(server.BaseAddress, "ims/token/v3");
            o.AdobeIms.AdminApiBaseAddress = server.BaseAddress;
            o.Privacy.ImsOrgId = OrgId;
            o.Privacy.BaseAddress = server.BaseAddress;
            o.Privacy.HashSecret = HashSecret;
        });
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
