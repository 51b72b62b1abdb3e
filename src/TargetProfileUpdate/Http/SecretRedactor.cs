using System;

namespace TargetProfileUpdate.Http;

/// <summary>Redacts a response body of a call whose secrets are plain strings (tokens, credentials, ids), in every
/// encoding <see cref="SecretScanner"/> knows.</summary>
internal static class SecretRedactor
{
    public static string? Redact(ReadOnlySpan<byte> body, params string?[] secrets) => ResponseBodyRedactor.Redact(body, secrets);
}
