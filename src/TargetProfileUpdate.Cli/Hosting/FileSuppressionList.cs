using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// The tool's suppression list when <c>TARGET_SUPPRESSION_FILE</c> is set: one keyed hash per line (HMAC-SHA256 with
/// <c>TARGET_PRIVACY_HASH_SECRET</c>, as <see cref="ProfileIdHasher.Hash"/> writes it), never an id, so a
/// <c>privacy delete</c> in one run suppresses the ids for every later <c>update</c> and <c>import</c>. Read once when the
/// command starts; additions are appended and flushed to disk before the deletion request is sent. One tool at a time per
/// file: concurrent runs each see the file as it was when they started.
/// </summary>
/// <remarks>
/// The line <c>secret-fingerprint: HEX</c> (<see cref="ProfileIdHasher.SecretFingerprint"/>, which reveals nothing about the
/// secret) records which secret wrote the file; it is written with the first hashes. A file whose fingerprint differs from
/// the configured secret's, or that holds hashes without a fingerprint (written by an older version), is refused when the
/// command starts (<see cref="UsageException"/>, exit code 2, nothing sent): with another secret its hashes match nobody. The
/// line is not a comment, so an older tool refuses a newer file rather than reading it unchecked.
/// </remarks>
internal sealed class FileSuppressionList : ISuppressionList, IDisposable
{
    private const string Header = "# target-profile suppression list: HMAC-SHA256 hashes of erased profile ids (TARGET_PRIVACY_HASH_SECRET), one per line; never ids.";
    private const string FingerprintPrefix = "secret-fingerprint: ";

    private readonly string _path;
    private readonly ProfileIdHasher _hasher;
    private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly string _fingerprintLine;
    private bool _stamped;

    public FileSuppressionList(string path, ProfileIdHasher hasher)
    {
        _path = Path.GetFullPath(path);
        _hasher = hasher;
        _fingerprintLine = FingerprintPrefix + hasher.SecretFingerprint;
        if (!File.Exists(_path))
        {
            return;
        }

        int line = 0;
        foreach (string text in File.ReadLines(_path))
        {
            line++;
            string hash = text.Trim();
            if (hash.Length == 0 || hash.StartsWith('#'))
            {
                continue;
            }

            if (hash.StartsWith(FingerprintPrefix, StringComparison.Ordinal))
            {
                if (!string.Equals(hash, _fingerprintLine, StringComparison.OrdinalIgnoreCase))
                {
                    throw new UsageException(FormattableString.Invariant($"TARGET_SUPPRESSION_FILE was written with another TARGET_PRIVACY_HASH_SECRET (its secret fingerprint, line {line}, differs from the configured secret's), so its hashes would match nobody and erased ids would be written again; nothing was sent. Set TARGET_PRIVACY_HASH_SECRET to the secret that wrote the file."));
                }

                _stamped = true;
                continue;
            }

            if (!IsHash(hash))
            {
                throw new UsageException(FormattableString.Invariant($"TARGET_SUPPRESSION_FILE line {line} is not a suppression hash (64 hexadecimal digits); the file is not a target-profile suppression list."));
            }

            _hashes.Add(hash);
        }

        if (!_stamped && _hashes.Count > 0)
        {
            throw new UsageException("TARGET_SUPPRESSION_FILE holds hashes but no secret fingerprint (it was written by an older version of the tool), so it cannot be shown to match TARGET_PRIVACY_HASH_SECRET; nothing was sent. If it was written with the configured secret, add this line to it: " + _fingerprintLine + " (the secret's fingerprint, which reveals nothing about it).");
        }
    }

    public ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        string hash = _hasher.Hash(id);
        lock (_hashes)
        {
            return ValueTask.FromResult(_hashes.Contains(hash));
        }
    }

    public async ValueTask AddAsync(IEnumerable<ProfileId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var added = new List<string>();
        foreach (var id in ids)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
            string hash = _hasher.Hash(id);
            lock (_hashes)
            {
                if (!_hashes.Contains(hash) && !added.Contains(hash))
                {
                    added.Add(hash);
                }
            }
        }

        if (added.Count == 0)
        {
            return;
        }

        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool created = !File.Exists(_path);
            using (var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                if (created)
                {
                    await writer.WriteLineAsync(Header.AsMemory(), cancellationToken).ConfigureAwait(false);
                }

                if (!_stamped)
                {
                    await writer.WriteLineAsync(_fingerprintLine.AsMemory(), cancellationToken).ConfigureAwait(false);
                }

                foreach (string hash in added)
                {
                    await writer.WriteLineAsync(hash.AsMemory(), cancellationToken).ConfigureAwait(false);
                }

                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            _stamped = true;
            lock (_hashes)
            {
                _hashes.UnionWith(added);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    public async ValueTask<bool> RemoveAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        string hash = _hasher.Hash(id);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string[] remaining;
            lock (_hashes)
            {
                if (!_hashes.Remove(hash))
                {
                    return false;
                }

                remaining = [.. _hashes];
            }

            string temporary = _path + ".tmp";
            await File.WriteAllLinesAsync(temporary, [Header, _fingerprintLine, .. remaining], cancellationToken).ConfigureAwait(false);
            File.Move(temporary, _path, overwrite: true);
            return true;
        }
        finally
        {
            _write.Release();
        }
    }

    public void Dispose() => _write.Dispose();

    private static bool IsHash(string text)
    {
        if (text.Length != 64)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
