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
internal sealed class FileSuppressionList : ISuppressionList, IDisposable
{
    private const string Header = "# target-profile suppression list: HMAC-SHA256 hashes of erased profile ids (TARGET_PRIVACY_HASH_SECRET), one per line; never ids.";

    private readonly string _path;
    private readonly ProfileIdHasher _hasher;
    private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);

    public FileSuppressionList(string path, ProfileIdHasher hasher)
    {
        _path = Path.GetFullPath(path);
        _hasher = hasher;
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

            if (!IsHash(hash))
            {
                throw new UsageException(FormattableString.Invariant($"TARGET_SUPPRESSION_FILE line {line} is not a suppression hash (64 hexadecimal digits); the file is not a target-profile suppression list."));
            }

            _hashes.Add(hash);
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

                foreach (string hash in added)
                {
                    await writer.WriteLineAsync(hash.AsMemory(), cancellationToken).ConfigureAwait(false);
                }

                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

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
            await File.WriteAllLinesAsync(temporary, [Header, .. remaining], cancellationToken).ConfigureAwait(false);
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
