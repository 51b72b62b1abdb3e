using System.Text;
using BenchmarkDotNet.Attributes;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Update;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>
/// Building one request, without sending it: the hand-written StringBuilder + Uri.EscapeDataString approach
/// (the baseline) against the SDK's exact-length encoder, for GET (URL string + Uri) and POST (body bytes).
/// </summary>
[MemoryDiagnoser]
public class RequestBuildingBenchmarks
{
    private const string UpdateUrl = "https://bench.tt.omtrdc.net/m2/bench/profile/update";
    private (string Name, string Value)[] _attributes = [];
    private ProfileUpdate _update = null!;
    private string _id = null!;

    [Params(1, 10, 100)]
    public int Attributes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _id = BenchmarkData.Id(42);
        _attributes = BenchmarkData.Attributes(Attributes);
        _update = BenchmarkData.Update(_id, _attributes);
    }

    [Benchmark(Baseline = true, Description = "GET hand-written")]
    [BenchmarkCategory("GET")]
    public Uri GetHandWritten() => new(UpdateUrl + "?" + BenchmarkData.HandWrittenQuery(_id, _attributes));

    [Benchmark(Description = "GET SDK")]
    [BenchmarkCategory("GET")]
    public Uri GetSdk()
    {
        int length = UpdateUrl.Length + 1 + ProfileUpdateEncoder.GetFormLength(_update);
        return ProfileUpdateRequest.CreateUri(ProfileUpdateRequest.BuildGetUrl(UpdateUrl, _update, length));
    }

    [Benchmark(Description = "POST hand-written")]
    [BenchmarkCategory("POST")]
    public int PostHandWritten()
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(BenchmarkData.HandWrittenQuery(_id, _attributes)));
        return (int)content.Headers.ContentLength!.Value;
    }

    [Benchmark(Description = "POST SDK")]
    [BenchmarkCategory("POST")]
    public int PostSdk()
    {
        using var content = new PooledFormContent(_update, ProfileUpdateEncoder.GetFormLength(_update));
        return (int)content.Headers.ContentLength!.Value;
    }

    [Benchmark(Description = "size only (GET/POST decision)")]
    [BenchmarkCategory("SIZE")]
    public int SizeOnly() => ProfileUpdateEncoder.GetFormLength(_update);
}
