using System;
using System.Buffers;
using System.Security.Cryptography;

namespace TargetProfileUpdate;

/// <summary>
/// Keyed hashes (HMAC-SHA256 with the account's <see cref="ProfilePrivacyOptions.HashSecret"/>) of profile ids: what a
/// suppression list stores instead of the id, and what a Privacy Service user key is made from. Without the secret a hash
/// cannot be tested against a guessed id. Thread-safe.
/// </summary>
public sealed class ProfileIdHasher
{
    private const byte SuppressionDomain = 1;
    private const byte UserKeyDomain = 2;
    private const string FingerprintLabel = "TargetProfileUpdate suppression list secret fingerprint v1";
    private readonly byte[] _secret;

    /// <summary>Creates a hasher over a secret.</summary>
    /// <param name="secret">The secret, at least <see cref="ProfilePrivacyOptions.MinHashSecretLength"/> characters (used as UTF-8).</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is shorter than <see cref="ProfilePrivacyOptions.MinHashSecretLength"/> characters.</exception>
    public ProfileIdHasher(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < ProfilePrivacyOptions.MinHashSecretLength)
        {
            throw new ArgumentException(
                "The hash secret must be at least " + ProfilePrivacyOptions.MinHashSecretLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters.",
                nameof(secret));
        }

        _secret = System.Text.Encoding.UTF8.GetBytes(secret);
    }

    private ProfileIdHasher(byte[] secret) => _secret = secret;

    /// <summary>Creates a hasher over a random secret: its hashes mean nothing to another process (an in-memory list only).</summary>
    /// <returns>The hasher.</returns>
    public static ProfileIdHasher CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The account's hasher: over its configured secret, or a random one when none is set.</summary>
    internal static ProfileIdHasher For(ProfilePrivacyOptions options) =>
        options.HashSecret is { } secret ? new ProfileIdHasher(secret) : CreateRandom();

    /// <summary>Gets the suppression hash of an id: 64 upper-case hex digits, the same for the same secret, kind and value.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public string Hash(ProfileId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> mac = stackalloc byte[32];
        Compute(SuppressionDomain, id, mac);
        return Convert.ToHexString(mac);
    }

    /// <summary>
    /// Gets the fingerprint of the secret: HMAC-SHA256 of a fixed label keyed by the secret, 64 upper-case hex digits. It
    /// reveals nothing about the secret, and two hashers have the same fingerprint only when they have the same secret. A
    /// persistent suppression list stores it next to its hashes and refuses a hasher whose fingerprint differs (its hashes
    /// would match nobody on the list).
    /// </summary>
    public string SecretFingerprint
    {
        get
        {
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_secret, System.Text.Encoding.UTF8.GetBytes(FingerprintLabel), mac);
            return Convert.ToHexString(mac);
        }
    }

    /// <summary>The Privacy Service user key of an id: <c>tpu-</c> and 32 lower-case hex digits (128 bits of the HMAC).</summary>
    internal string UserKey(ProfileId id)
    {
        Span<byte> mac = stackalloc byte[32];
        Compute(UserKeyDomain, id, mac);
        return "tpu-" + Convert.ToHexString(mac[..16]).ToLowerInvariant();
    }

    private void Compute(byte domain, ProfileId id, Span<byte> destination)
    {
        // domain, kind, then the id's UTF-8 bytes: a hash of one kind never equals a hash of another kind or purpose.
        int length = 2 + System.Text.Encoding.UTF8.GetByteCount(id.Value);
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> input = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            input[0] = domain;
            input[1] = (byte)id.Kind;
            System.Text.Encoding.UTF8.GetBytes(id.Value, input[2..]);
            HMACSHA256.HashData(_secret, input, destination);
        }
        finally
        {
            input.Clear();
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
