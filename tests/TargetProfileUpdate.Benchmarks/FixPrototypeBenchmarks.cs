using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Measures, before anyone edits src/, what the recommended changes would save: each pair is the current shape and
/// the proposed one, built here from the same public/internal pieces. Run: <c>alloc --filter *Fix* --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class FixPrototypeBenchmarks : IDisposable
{
    private (string Name, string Value)[] _ten = [];
    private ServiceProvider _provider = null!;
    private HttpClient _client = null!;
    private HttpMessageInvoker _invoker = null!;
    private Uri _uri = null!;
    private readonly CancellationTokenSource _cts = new();
    private ResiliencePipeline<HttpResponseMessage> _asyncStrategy = null!;
    private ResiliencePipeline<HttpResponseMessage> _tailCallStrategy = null!;
    private readonly HttpResponseMessage _cached = new(HttpStatusCode.OK);

    [GlobalSetup]
    public void Setup()
    {
        _ten = BenchmarkData.Attributes(10);
        _uri = new Uri("http://127.0.0.1:5000/m2/bench/profile/update?" + BenchmarkData.HandWrittenQuery(BenchmarkData.Id(7), _ten));
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = BenchmarkData.ClientCode;
            o.BaseAddress = new Uri("http://127.0.0.1:5000/");
        }).ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(() => new DiPathAllocationBenchmarks.InMemoryAsyncHandler()));
        _provider = services.BuildServiceProvider();
        _client = _provider.GetRequiredService<IHttpClientFactory>().CreateClient(TargetProfileUpdateServiceCollectionExtensions.HttpClientName);
        _invoker = new HttpMessageInvoker(_provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(TargetProfileUpdateServiceCollectionExtensions.HttpClientName), disposeHandler: false);
        var quota = new SlidingWindowQuota(int.MaxValue, TimeSpan.FromHours(24));
        _asyncStrategy = new ResiliencePipelineBuilder<HttpResponseMessage>().AddStrategy(_ => new Resilience.AdmissionStrategy(quota, null, TimeProvider.System), new NamedOptions()).Build();
        _tailCallStrategy = new ResiliencePipelineBuilder<HttpResponseMessage>().AddStrategy(_ => new TailCallAdmission(quota), new NamedOptions()).Build();
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Disposes what the setup made.</summary>
    public void Dispose()
    {
        _invoker?.Dispose();
        _provider?.Dispose();
        _cts.Dispose();
        _cached.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- 1. ProfileUpdate.Set builds its validation message on every call ----

    [Benchmark(Description = "Set: 10 eager messages (\"The value of attribute '\" + name + \"'\")")]
    public int EagerMessages()
    {
        int n = 0;
        foreach (var (name, _) in _ten)
        {
            n += ("The value of attribute '" + name + "'").Length;
        }

        return n;
    }

    // ---- 2. AttributeList: List(4) growth + Dictionary index past 8, against a List(8) without index ----

    [Benchmark(Description = "AttributeList now: List(4) + index past 8, 10 adds")]
    public int ListWithIndex()
    {
        var items = new List<KeyValuePair<string, string>>(4);
        Dictionary<string, int>? index = null;
        foreach (var (name, value) in _ten)
        {
            items.Add(new(name, value));
            if (index is not null)
            {
                index.Add(name, items.Count - 1);
            }
            else if (items.Count > 8)
            {
                index = new Dictionary<string, int>(items.Count * 2, StringComparer.Ordinal);
                for (int i = 0; i < items.Count; i++)
                {
                    index.Add(items[i].Key, i);
                }
            }
        }

        return items.Count + (index?.Count ?? 0);
    }

    [Benchmark(Description = "AttributeList proposed: List(8), linear scan, 10 adds")]
    public int ListLinear()
    {
        var items = new List<KeyValuePair<string, string>>(8);
        foreach (var (name, value) in _ten)
        {
            for (int i = 0; i < items.Count; i++)
            {
                if (string.Equals(items[i].Key, name, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException();
                }
            }

            items.Add(new(name, value));
        }

        return items.Count;
    }

    // ---- 3. HttpClient (links its pending-requests CTS to a cancellable token; one more async layer) vs HttpMessageInvoker ----

    [Benchmark(Description = "factory HttpClient.SendAsync, cancellable token")]
    public Task<int> ViaHttpClient() => Send(_client);

    [Benchmark(Description = "HttpMessageInvoker over the same factory handler chain")]
    public Task<int> ViaInvoker() => Send(_invoker);

    private async Task<int> Send(HttpMessageInvoker invoker)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, _uri);
        using var response = invoker is HttpClient client
            ? await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, _cts.Token).ConfigureAwait(false)
            : await invoker.SendAsync(message, _cts.Token).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    // ---- 4. AdmissionStrategy: an async method per attempt vs a tail call when the limiter answers synchronously ----

    [Benchmark(Description = "AdmissionStrategy now (async ExecuteCore), async callback")]
    public ValueTask<HttpResponseMessage> AdmissionNow() => Run(_asyncStrategy);

    [Benchmark(Description = "admission proposed (sync acquire, tail call), async callback")]
    public ValueTask<HttpResponseMessage> AdmissionTailCall() => Run(_tailCallStrategy);

    private async ValueTask<HttpResponseMessage> Run(ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
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

    private sealed class NamedOptions : ResilienceStrategyOptions
    {
        public NamedOptions() => Name = "Admission";
    }

    /// <summary>The proposed shape: when the limiter answers synchronously (SlidingWindowQuota always does), no state machine.</summary>
    private sealed class TailCallAdmission(System.Threading.RateLimiting.RateLimiter limiter) : ResilienceStrategy<HttpResponseMessage>
    {
        protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
        {
            var acquire = limiter.AcquireAsync(1, context.CancellationToken);
            if (!acquire.IsCompletedSuccessfully)
            {
                throw new NotSupportedException("prototype: the slow path stays async as today");
            }

            using (var lease = acquire.Result)
            {
                if (!lease.IsAcquired)
                {
                    return new(Outcome.FromException<HttpResponseMessage>(new InvalidOperationException()));
                }
            }

            return callback(context, state);
        }
    }
}
