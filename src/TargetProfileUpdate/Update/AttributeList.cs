using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace TargetProfileUpdate;

/// <summary>
/// An insertion-ordered, append-only map of attribute names to values with ordinal keys.
/// Updates of up to <see cref="IndexThreshold"/> attributes (nearly all) use a linear ordinal scan, which is faster than
/// hashing at that size and allocates nothing; a lookup dictionary is built only past it.
/// </summary>
internal sealed class AttributeList : IReadOnlyDictionary<string, string>
{
    private const int IndexThreshold = 32;

    private readonly List<KeyValuePair<string, string>> _items = new(8);
    private Dictionary<string, int>? _index;

    public int Count => _items.Count;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException("The attribute is not set on this update.");

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var item in _items)
            {
                yield return item.Key;
            }
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            foreach (var item in _items)
            {
                yield return item.Value;
            }
        }
    }

    public bool TryAdd(string key, string value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        _items.Add(new(key, value));
        if (_index is not null)
        {
            _index.Add(key, _items.Count - 1);
        }
        else if (_items.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(_items.Count * 2, StringComparer.Ordinal);
            for (int i = 0; i < _items.Count; i++)
            {
                _index.Add(_items[i].Key, i);
            }
        }

        return true;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _items[i].Value : null;
        return i >= 0;
    }

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_index is not null)
        {
            return _index.TryGetValue(key, out int i) ? i : -1;
        }

        for (int i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
