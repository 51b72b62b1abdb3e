using System;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.DependencyInjection;

/// <summary>
/// An account's options as configuration reloads change them, pinned to the endpoint the account was built for: its
/// host, client code and HTTP client are fixed when the account is created, so a reload that changes
/// <see cref="TargetProfileUpdateOptions.ClientCode"/> or the effective base address is refused, with an error log, and
/// the last options of the same endpoint stay in use. Otherwise a re-pointed section would pair the new account's token
/// with the old account's host. A reload that fails validation is refused the same way. What may change (the token, for
/// example) is read from here on every call.
/// </summary>
internal sealed partial class PinnedAccountOptions : IOptionsMonitor<TargetProfileUpdateOptions>
{
    private readonly IOptionsMonitor<TargetProfileUpdateOptions> _inner;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly string _clientCode;
    private readonly Uri _baseAddress;
    private TargetProfileUpdateOptions _current;
    private TargetProfileUpdateOptions? _refused;

    public PinnedAccountOptions(IOptionsMonitor<TargetProfileUpdateOptions> inner, string name, TargetProfileUpdateOptions initial, ILogger logger)
    {
        _inner = inner;
        _name = name;
        _logger = logger;
        _current = initial;
        _clientCode = initial.ClientCode;
        _baseAddress = initial.GetEffectiveBaseAddress();
    }

    public TargetProfileUpdateOptions CurrentValue => Get(_name);

    public TargetProfileUpdateOptions Get(string? name)
    {
        TargetProfileUpdateOptions latest;
        try
        {
            latest = _inner.Get(_name);
        }
        catch (OptionsValidationException ex)
        {
            LogOnce(null, () => ReloadInvalid(_logger, AccountName, ex.Failures is { } f ? string.Join(" ", f) : ex.Message));
            return Volatile.Read(ref _current);
        }

        if (ReferenceEquals(latest, Volatile.Read(ref _current)))
        {
            return latest;
        }

        if (string.Equals(latest.ClientCode, _clientCode, StringComparison.OrdinalIgnoreCase) && latest.GetEffectiveBaseAddress() == _baseAddress)
        {
            Volatile.Write(ref _current, latest);
            return latest;
        }

        LogOnce(latest, () => ReloadRefused(_logger, AccountName));
        return Volatile.Read(ref _current);
    }

    public IDisposable? OnChange(Action<TargetProfileUpdateOptions, string?> listener) => _inner.OnChange(listener);

    private string AccountName => _name.Length == 0 ? "(default)" : _name;

    /// <summary>Logs once per refused options instance (a reload builds a new one), not once per call.</summary>
    private void LogOnce(TargetProfileUpdateOptions? refused, Action log)
    {
        if (refused is null || !ReferenceEquals(Interlocked.Exchange(ref _refused, refused), refused))
        {
            log();
        }
    }

    [LoggerMessage(EventId = 70, EventName = "AccountReloadRefused", Level = LogLevel.Error,
        Message = "A configuration reload of account {Account} changes its ClientCode or BaseAddress; it is refused and the account keeps its endpoint and its previous settings (the new token is not sent to the old host). Restart the process to move the account.")]
    private static partial void ReloadRefused(ILogger logger, string account);

    [LoggerMessage(EventId = 71, EventName = "AccountReloadInvalid", Level = LogLevel.Error,
        Message = "A configuration reload of account {Account} is invalid and is refused; the previous settings stay in use: {Failures}")]
    private static partial void ReloadInvalid(ILogger logger, string account, string failures);
}
