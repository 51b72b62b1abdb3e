using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Update;
using TargetProfileUpdate.Suppression;

namespace TargetProfileUpdate;

/// <summary>
/// Sends profile updates to Adobe Target's Single Profile Update API
/// (<c>/m2/{clientCode}/profile/update</c>). Sealed, immutable after construction and thread-safe:
/// one instance serves the whole process.
/// </summary>
/// <remarks>
/// <para>Register it with <c>services.AddTargetProfileUpdate(…)</c> and depend on <see cref="IProfileUpdateClient"/>
/// (a singleton per account); or construct it with <see cref="ProfileUpdateClient(TargetProfileUpdateOptions)"/> where
/// there is no DI: that builds exactly the same handler chain and pipeline, in a private container the client owns.</para>
/// <para>Each update is sent as GET when its whole URL fits <see cref="TargetProfileUpdateOptions.MaxGetRequestBytes"/>,
/// else as a form POST when its body fits <see cref="TargetProfileUpdateOptions.MaxPostRequestBytes"/>; otherwise it is
/// refused before anything is sent. Success means HTTP 2xx and a body that says <c>true</c>.</para>
/// </remarks>
public sealed class ProfileUpdateClient : IProfileUpdateClient, IDisposable
{
    private readonly TargetAccount _account;
    private readonly ServiceProvider? _ownedServices;
    private readonly ILogger _logger;
    private readonly string _updateUrl;
    private readonly Uri _updateUri;
    private readonly ProfileUpdateMethod _method;
    private readonly int _maxGetBytes;
    private readonly int _maxPostBytes;
    private readonly ProfileAttributeLinter _linter;
    private int _disposed;

    /// <summary>
    /// Creates a client without DI. It owns the same handler chain, token provider, quota and resilience pipeline as
    /// the DI registration (built by the same code), disposed with the client. Create one and reuse it.
    /// </summary>
    /// <param name="options">The options; validated now, exactly as DI validates them at start-up.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each field.</exception>
    public ProfileUpdateClient(TargetProfileUpdateOptions options)
        : this(Standalone.Create(options, null, null, null))
    {
    }

    /// <summary>The DI-free chain over a given clock, loggers and primary handler (tests and benchmarks).</summary>
    internal ProfileUpdateClient(TargetProfileUpdateOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, HttpMessageHandler? primaryHandler)
        : this(Standalone.Create(options, timeProvider, loggerFactory, primaryHandler))
    {
    }

    private ProfileUpdateClient((TargetAccount Account, ServiceProvider Services) standalone)
        : this(standalone.Account)
    {
        _ownedServices = standalone.Services;
    }

    /// <summary>The client of one registered account (the DI registration).</summary>
    internal ProfileUpdateClient(TargetAccount account)
    {
        _account = account;
        var options = account.Options;
        _logger = account.LoggerFactory.CreateLogger<ProfileUpdateClient>();
        _linter = new ProfileAttributeLinter(options.Linting, _logger);
        _updateUrl = ProfileUpdateSizeRules.UpdateUrl(account.BaseAddress, options.ClientCode);
        _updateUri = new Uri(_updateUrl, UriKind.Absolute);
        _method = options.Method;
        _maxGetBytes = options.MaxGetRequestBytes;
        _maxPostBytes = options.MaxPostRequestBytes;
    }

    /// <inheritdoc />
    public Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (update.AttributeList.Count == 0)
        {
            throw new ArgumentException("A profile update must set at least one attribute; nothing was sent.", nameof(update));
        }

        _linter.Enforce(update);

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ProfileUpdateResult>(cancellationToken);
        }

        // Refused before anything is sent when the id is suppressed; an empty in-memory list answers synchronously, with no hashing.
#pragma warning disable CA2012 // Consumed once: read synchronously when already completed, otherwise awaited (once) by the slow path.
        var suppressed = _account.Suppression.ContainsAsync(update.Id, cancellationToken);
        if (!suppressed.IsCompletedSuccessfully || suppressed.Result)
        {
            return UpdateUnlessSuppressedAsync(update, suppressed, cancellationToken);
        }
#pragma warning restore CA2012

        ProfileUpdateRequest request;
        try
        {
            request = Prepare(update);
        }
        catch (ProfileUpdateTooLargeException ex)
        {
            return Task.FromException<ProfileUpdateResult>(ex);
        }

        // The envelope runs on a pooled state machine; only the Task the interface promises is allocated.
        return _account.UpdateCall.SendAsync<ProfileUpdateRequest, ProfileUpdateResult>(request, cancellationToken).AsTask();
    }

    /// <summary>The slow path: the suppression list answered asynchronously, or said the id is suppressed.</summary>
    private async Task<ProfileUpdateResult> UpdateUnlessSuppressedAsync(ProfileUpdate update, ValueTask<bool> check, CancellationToken cancellationToken)
    {
        bool suppressed = await SuppressionGuard.IsSuppressedAsync(check, cancellationToken).ConfigureAwait(false);
        if (suppressed)
        {
            SuppressionGuard.Record(_account.Telemetry, _account.SuppressionLogger, SuppressionGuard.Update);
            throw new ProfileSuppressedException();
        }

        return await _account.UpdateCall.SendAsync<ProfileUpdateRequest, ProfileUpdateResult>(Prepare(update), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the client disposed (calls in flight end with a non-transient exception whose inner exception is
    /// <see cref="ObjectDisposedException"/>); a client created without DI also disposes what it owns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownedServices is not null)
        {
            _account.Dispose();
            _ownedServices.Dispose();
        }
    }

    /// <summary>The checks <see cref="UpdateAsync"/> makes before sending, without sending: the linter (which throws under
    /// <see cref="ProfileLintMode.Strict"/>) and the size rule. Delivery assurance runs them before it holds an update, so
    /// an update that could never be sent is refused to its caller instead of being answered "deferred".</summary>
    /// <exception cref="ArgumentException">Strict linting, and the update breaks an attribute rule.</exception>
    /// <exception cref="ProfileUpdateTooLargeException">The update fits neither method.</exception>
    internal void EnsureSendable(ProfileUpdate update)
    {
        _linter.Enforce(update);
        ChooseMethod(update);
    }

    /// <summary>Chooses the method by size (or refuses the update as too large), and builds the GET URL once.</summary>
    private ProfileUpdateRequest Prepare(ProfileUpdate update)
    {
        var (method, requestBytes) = ChooseMethod(update);
        _account.Telemetry.RequestSize.Record(requestBytes, new KeyValuePair<string, object?>("http.request.method", method.Method));
        Log.Sending(_logger, method.Method, requestBytes, update.AttributeList.Count);
        var uri = method == HttpMethod.Get
            ? ProfileUpdateRequest.CreateUri(ProfileUpdateRequest.BuildGetUrl(_updateUrl, update, requestBytes))
            : _updateUri;
        return new ProfileUpdateRequest(update, method, uri, requestBytes);
    }

    /// <summary>The method and bytes by the one size rule the fake applies too; a refusal is also counted as failed (<c>too_large</c>).</summary>
    private (HttpMethod Method, int Bytes) ChooseMethod(ProfileUpdate update)
    {
        try
        {
            return ProfileUpdateSizeRules.Choose(update, _updateUrl.Length, _method, _maxGetBytes, _maxPostBytes, _logger);
        }
        catch (ProfileUpdateTooLargeException)
        {
            _account.Telemetry.Failed.Add(1, new KeyValuePair<string, object?>("reason", "too_large"));
            throw;
        }
    }
}
