using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Tests;

public sealed class OptionsValidationTests
{
    private static OptionsValidationException Invalid(Action<TargetProfileUpdateOptions> configure)
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "acme" };
        configure(options);
        return Assert.Throws<OptionsValidationException>(() => new ProfileUpdateClient(options));
    }

    [Theory]
    [InlineData("")]
    [InlineData("attacker.example/x?")]
    [InlineData("a@b")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac me")]
    [InlineData("acme.evil")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void Constructor_ClientCodeNotASingleDnsLabel_Throws(string clientCode)
    {
        Assert.Contains("ClientCode", Invalid(o => o.ClientCode = clientCode).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("a")]
    [InlineData("acme-corp2")]
    public void Constructor_ValidClientCode_IsAccepted(string clientCode)
    {
        using var client = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = clientCode });
    }

    [Theory]
    [InlineData("http://target.example.com/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("https://host/?q=1")]
    public void Constructor_UnsafeBaseAddress_Throws(string baseAddress)
    {
        Assert.Contains("BaseAddress", Invalid(o => o.BaseAddress = new Uri(baseAddress)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/")]
    [InlineData("http://localhost/")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("https://edge.example.com/")]
    public void Constructor_LoopbackHttpOrHttps_IsAccepted(string baseAddress)
    {
        using var client = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = "acme", BaseAddress = new Uri(baseAddress) });
    }

    [Theory]
    [InlineData("tok\r\nX-Evil: 1")]
    [InlineData("tok\n")]
    [InlineData("tok\0")]
    [InlineData("tok en")]
    [InlineData("")]
    [InlineData("tök")]
    public void Constructor_TokenWithControlOrWhitespace_ThrowsWithoutShowingTheToken(string token)
    {
        var ex = Invalid(o => o.AuthorizationToken = token);

        Assert.Contains("AuthorizationToken", ex.Message, StringComparison.Ordinal);
        if (token.Length > 0)
        {
            Assert.DoesNotContain(token, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Constructor_NonPositiveLimits_AreEachNamed()
    {
        var ex = Invalid(o => { o.MaxGetRequestBytes = 0; o.MaxPostRequestBytes = -1; });

        Assert.Contains("MaxGetRequestBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPostRequestBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InconsistentResilience_IsNamed()
    {
        var ex = Invalid(o =>
        {
            o.Resilience.MaxRetryAttempts = -1;
            o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(60);
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(30);
        });

        Assert.Contains("MaxRetryAttempts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TotalTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheToken()
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "acme", AuthorizationToken = "very-secret-token" };

        Assert.DoesNotContain("very-secret-token", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("AuthorizationToken = ***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetEffectiveBaseAddress_Default_IsTheClientsAdobeEdge()
    {
        Assert.Equal(new Uri("https://acme.tt.omtrdc.net/"), new TargetProfileUpdateOptions { ClientCode = "acme" }.GetEffectiveBaseAddress());
    }
}
