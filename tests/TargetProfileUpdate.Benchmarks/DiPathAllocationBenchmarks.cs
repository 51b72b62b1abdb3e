using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Update;
using TargetProfileUpdate.Resilience;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Where the bytes of one update go on the DI path, piece by piece, over an in-memory handler that completes
/// asynchronously (as a socket does). Each piece is the increment a layer adds: building the update, its URL and Uri,
/// the per-call state, the Polly pipeline alone (and each strategy), the HttpClient chain alone, then the whole
/// DI-resolved client with and without resilience and quota. Run: <c>alloc --inProcess</c> (see README.md).
/// </summary>
[MemoryDiagnoser]
public class DiPathAllocationBenchmarks : IDisposable
{
    private (string Name, string Value)[] _ten = [];
    private (string Name, string Value)[] _eight = [];
    private ProfileUpdate _update = null!;
    private string _updateUrl = null!;
    private Uri _uri = null!;
    private int _urlLength;
    private ServiceProvider _defaults = null!;
    private ServiceProvider _resilienceOff = null!;
    private ServiceProvider _bothOff = null!;
    private IProfileUpdateClient _sdkDefaults = null!;
    private IProfileUpdateClient _sdkResilienceOff = null!;
    private IProfileUpdateClient _sdkBothOff = null!;
    private HttpMessageInvoker _factoryClient = null!;
    private HttpClient _rawClient = null!;
    private ResiliencePipeline<HttpResponseMessage> _pipelineDefaults = null!;
    private ResiliencePipeline<HttpResponseMessage> _pipelineResilienceOff = null!;
    private ResiliencePipeline<HttpResponseMessage> _retryOnly = null!;
    private ResiliencePipeline<HttpResponseMessage> _breakerOnly = null!;
    private ResiliencePipeline<HttpResponseMessage> _timeoutOnly = null!;
    private readonly HttpResponseMessage _cached = new(HttpStatusCode.OK);

    [GlobalSetup]
    public void Setup()
    {
        _ten = BenchmarkData.Attributes(10);
        _eight = BenchmarkData.Attributes(8);
        _update = BenchmarkData.Update(BenchmarkData.Id(7), _ten);
        _updateUrl = "http://127.0.0.1:5000/m2/" + BenchmarkData.ClientCode + "/profile/update";
        _urlLength = _updateUrl.Length + 1 + Encoding.ProfileUpdateEncoder.GetFormLength(_update);
        _uri = ProfileUpdateRequest.CreateUri(ProfileUpdateRequest.BuildGetUrl(_updateUrl, _update, _urlLength));

        (_defaults, _sdkDefaults) = Sdk(resilience: true, quota: true);
        (_resilienceOff, _sdkResilienceOff) = Sdk(resilience: false, quota: true);
        (_bothOff, _sdkBothOff) = Sdk(resilience: false, quota: false);
        _factoryClient = _defaults.GetRequiredKeyedService<TargetAccount>(string.Empty).Invoker;
        _rawClient = new HttpClient(new InMemoryAsyncHandler());

        var telemetry = ProfileApiInstruments.Shared;
        var quota = new SlidingWindowQuota(1_000_000, TimeSpan.FromHours(24));
        _pipelineDefaults = ProfileApiPipelineFactory.Create("update", new ProfileApiResilienceOptions(), quota, null, TimeProvider.System, NullLogger.Instance, telemetry);
        _pipelineResilienceOff = ProfileApiPipelineFactory.Create("update", new ProfileApiResilienceOptions { Enabled = false }, quota, null, TimeProvider.System, NullLogger.Instance, telemetry);
        _retryOnly = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new Polly.Retry.RetryStrategyOptions<HttpResponseMessage>()).Build();
        _breakerOnly = new ResiliencePipelineBuilder<HttpResponseMessage>().AddCircuitBreaker(new Polly.CircuitBreaker.CircuitBreakerStrategyOptions<HttpResponseMessage>()).Build();
        _timeoutOnly = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(TimeSpan.FromSeconds(10)).Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _defaults.Dispose();
        _resilienceOff.Dispose();
        _bothOff.Dispose();
        _rawClient.Dispose();
    }

    /// <summary>BenchmarkDotNet calls <see cref="Cleanup"/>; this is for the analyzers and other hosts.</summary>
    public void Dispose()
    {
        _rawClient?.Dispose();
        _cached.Dispose();
        GC.SuppressFinalize(this);
    }

    private static (ServiceProvider, IProfileUpdateClient) Sdk(bool resilience, bool quota)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = BenchmarkData.ClientCode;
            o.BaseAddress = new Uri("http://127.0.0.1:5000/");
            o.Resilience.Enabled = resilience;
            o.Quota.Enabled = quota;
            o.Quota.PermitLimit = int.MaxValue;
        }).ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(() => new InMemoryAsyncHandler()));
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IProfileUpdateClient>());
    }

    // ---- building the request ----

    [Benchmark(Description = "build ProfileUpdate, 10 attributes")]
    public ProfileUpdate BuildUpdate10() => BenchmarkData.Update("crm-0000000007", _ten);

    [Benchmark(Description = "build ProfileUpdate, 8 attributes")]
    public ProfileUpdate BuildUpdate8() => BenchmarkData.Update("crm-0000000007", _eight);

    [Benchmark(Description = "GET URL string + Uri")]
    public Uri UrlAndUri() => ProfileUpdateRequest.CreateUri(ProfileUpdateRequest.BuildGetUrl(_updateUrl, _update, _urlLength));

    [Benchmark(Description = "GET URL string only")]
    public string UrlOnly() => ProfileUpdateRequest.BuildGetUrl(_updateUrl, _update, _urlLength);

    [Benchmark(Description = "Uri only (from the URL string)")]
    public Uri UriOnly() => ProfileUpdateRequest.CreateUri(_uri.OriginalString);

    [Benchmark(Description = "Uri + PathAndQuery + IdnHost (what HttpClient reads)")]
    public int UriRead()
    {
        var uri = ProfileUpdateRequest.CreateUri(_uri.OriginalString);
        return uri.PathAndQuery.Length + uri.IdnHost.Length;
    }

    [Benchmark(Description = "AttemptFacts (new + Dispose)")]
    public static int State()
    {
        using var facts = new AttemptFacts();
        return facts.MaxBodyBytes;
    }

    // ---- Polly alone: a callback that returns a cached response ----

    [Benchmark(Description = "Polly: SDK pipeline, defaults (retry+CB+admission+timeout)")]
    public ValueTask<HttpResponseMessage> PollyDefaults() => RunPipeline(_pipelineDefaults);

    [Benchmark(Description = "Polly: SDK pipeline, resilience off (admission+timeout)")]
    public ValueTask<HttpResponseMessage> PollyResilienceOff() => RunPipeline(_pipelineResilienceOff);

    [Benchmark(Description = "Polly: empty pipeline (the harness's own cost)")]
    public ValueTask<HttpResponseMessage> PollyEmpty() => RunPipeline(ResiliencePipeline<HttpResponseMessage>.Empty);

    [Benchmark(Description = "Polly: retry only")]
    public ValueTask<HttpResponseMessage> PollyRetry() => RunPipeline(_retryOnly);

    [Benchmark(Description = "Polly: circuit breaker only")]
    public ValueTask<HttpResponseMessage> PollyBreaker() => RunPipeline(_breakerOnly);

    [Benchmark(Description = "Polly: timeout only")]
    public ValueTask<HttpResponseMessage> PollyTimeout() => RunPipeline(_timeoutOnly);

    private async ValueTask<HttpResponseMessage> RunPipeline(ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        using var state = new AttemptFacts();
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
            context.Properties.Set(ResilienceKeys.Attempt, state);
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (_, s) =>
                {
                    await Task.Yield();
                    return Outcome.FromResult(s);
                },
                context,
                _cached).ConfigureAwait(false);
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // ---- HttpClient chain alone ----

    [Benchmark(Baseline = true, Description = "HttpClient(handler): GET message + send + read body")]
    public Task<int> RawHttpClient() => SendRaw(_rawClient);

    [Benchmark(Description = "The account's invoker over the IHttpClientFactory handler chain: same")]
    public Task<int> FactoryHttpClient() => SendRaw(_factoryClient);

    private async Task<int> SendRaw(HttpMessageInvoker client)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, _uri);
        using var response = client is HttpClient http
            ? await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false)
            : await client.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        int read = await stream.ReadAsync(buffer).ConfigureAwait(false);
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return read;
    }

    // ---- the whole client ----

    [Benchmark(Description = "SDK DI defaults, new update per send")]
    public Task<ProfileUpdateResult> SdkDefaultsNew() => _sdkDefaults.UpdateAsync(BenchmarkData.Update("crm-0000000007", _ten));

    [Benchmark(Description = "SDK DI defaults, same update reused")]
    public Task<ProfileUpdateResult> SdkDefaultsReused() => _sdkDefaults.UpdateAsync(_update);

    [Benchmark(Description = "SDK DI resilience off, update reused")]
    public Task<ProfileUpdateResult> SdkResilienceOff() => _sdkResilienceOff.UpdateAsync(_update);

    [Benchmark(Description = "SDK DI resilience+quota off, update reused")]
    public Task<ProfileUpdateResult> SdkBothOff() => _sdkBothOff.UpdateAsync(_update);

    /// <summary>Answers every request with the documented success body after yielding, as a socket completes asynchronously.</summary>
    internal sealed class InMemoryAsyncHandler : HttpMessageHandler
    {
        private static readonly byte[] Success = System.Text.Encoding.ASCII.GetBytes("trueRequest successfully submitted");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Success), RequestMessage = request };
        }
    }
}

/// <summary>
/// The telemetry's share: the same client with an <see cref="ActivityListener"/> sampling every activity and a
/// <see cref="MeterListener"/> on the SDK's instruments (what an OpenTelemetry setup does), against the same client unlistened.
/// </summary>
[MemoryDiagnoser]
public class TelemetryAllocationBenchmarks : IDisposable
{
    private ServiceProvider _provider = null!;
    private IProfileUpdateClient _client = null!;
    private ProfileUpdate _update = null!;
    private ActivityListener? _activities;
    private MeterListener? _meters;

    [Params(false, true)]
    public bool Listened { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _update = BenchmarkData.Update(BenchmarkData.Id(7), BenchmarkData.Attributes(10));
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = BenchmarkData.ClientCode;
            o.BaseAddress = new Uri("http://127.0.0.1:5000/");
            o.Quota.PermitLimit = int.MaxValue;
        }).ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(() => new DiPathAllocationBenchmarks.InMemoryAsyncHandler()));
        _provider = services.BuildServiceProvider();
        _client = _provider.GetRequiredService<IProfileUpdateClient>();
        if (Listened)
        {
            _activities = new ActivityListener
            {
                ShouldListenTo = s => s.Name == ProfileApiTelemetry.MeterName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_activities);
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == ProfileApiTelemetry.MeterName)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meters.SetMeasurementEventCallback<long>((_, _, _, _) => { });
            _meters.SetMeasurementEventCallback<int>((_, _, _, _) => { });
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => { });
            _meters.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activities?.Dispose();
        _meters?.Dispose();
        _provider.Dispose();
    }

    /// <summary>BenchmarkDotNet calls <see cref="Cleanup"/>; this is for the analyzers and other hosts.</summary>
    public void Dispose()
    {
        _activities?.Dispose();
        _meters?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "SDK DI defaults, update reused")]
    public Task<ProfileUpdateResult> Send() => _client.UpdateAsync(_update);
}
