using TargetProfileUpdate.Bulk;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class StatusUrlTrustTests
{
    private static readonly Uri Emulator = new("http://127.0.0.1:5050/");

    [Theory]
    [InlineData("https://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-1", "https://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-1&showDetails=true")]
    [InlineData("https://MBOXEDGE45.TT.OMTRDC.NET/s?batchId=a%2Fb", "https://MBOXEDGE45.TT.OMTRDC.NET/s?batchId=a%2Fb&showDetails=true")]
    [InlineData("https://demo.tt.omtrdc.net/m2/demo/profile/batchStatus", "https://demo.tt.omtrdc.net/m2/demo/profile/batchStatus?showDetails=true")]
    [InlineData("https://demo.tt.omtrdc.net/s?batchId=1&showDetails=true", "https://demo.tt.omtrdc.net/s?batchId=1&showDetails=true")]
    [InlineData("https://demo.tt.omtrdc.net/s?", "https://demo.tt.omtrdc.net/s?showDetails=true")]
    [InlineData("http://127.0.0.1:5050/m2/demo/profile/batchStatus?batchId=x", "http://127.0.0.1:5050/m2/demo/profile/batchStatus?batchId=x&showDetails=true")]
    public void Trusted_StatusUrl_GetsShowDetailsAppendedWithoutReencoding(string statusUrl, string expected)
    {
        Assert.Equal(expected, StatusUrlTrust.GetTrustedStatusRequestUri(new Uri(statusUrl), Emulator).OriginalString);
    }

    [Fact]
    public void DocumentedHttpEdgeUrl_IsRequestedOverHttpsOnTheSameHost()
    {
        var uri = StatusUrlTrust.GetTrustedStatusRequestUri(new Uri("http://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-1701473848678-13029383"), null);

        Assert.Equal("https://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-1701473848678-13029383&showDetails=true", uri.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example.com/s?batchId=secret-query")]
    [InlineData("https://tt.omtrdc.net/s?batchId=secret-query")]
    [InlineData("https://mboxedge45.tt.omtrdc.net.evil.com/s?batchId=secret-query")]
    [InlineData("https://evil-tt.omtrdc.net/s?batchId=secret-query")]
    [InlineData("http://mboxedge45.tt.omtrdc.net:8080/s?batchId=secret-query")]
    [InlineData("https://user:pw@mboxedge45.tt.omtrdc.net/s?batchId=secret-query")]
    [InlineData("http://127.0.0.1:5051/s?batchId=secret-query")]
    [InlineData("https://127.0.0.1:5050/s?batchId=secret-query")]
    [InlineData("http://localhost:5050/s?batchId=secret-query")]
    [InlineData("ftp://mboxedge45.tt.omtrdc.net/s?batchId=secret-query")]
    public void Untrusted_StatusUrl_IsRefusedWithoutPrintingItsQuery(string statusUrl)
    {
        var ex = Assert.ThrowsAny<ProfileApiException>(() => StatusUrlTrust.GetTrustedStatusRequestUri(new Uri(statusUrl), Emulator));

        Assert.DoesNotContain("secret-query", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_WithoutConfiguredBaseAddress_IsRefused()
    {
        Assert.ThrowsAny<ProfileApiException>(() => StatusUrlTrust.GetTrustedStatusRequestUri(new Uri("http://127.0.0.1:5050/s?batchId=1"), null));
    }
}
