using System.Collections;

namespace Provenance.Formats.Cbor;

/// <summary>A CBOR array.</summary>
public sealed class CborArray : CborValue, IReadOnlyList<CborValue>
{
    private readonly List<CborValue> _items;

    public CborArray()
    {
        _items = [];
    }

    public CborArray(IEnumerable<CborValue> items)
    {
        _items = [.. items];
    }

    internal CborArray(int capacity)
    {
        _items = new List<CborValue>(capacity);
    }

    public override CborValueKind Kind => CborValueKind.Array;

    public int Count => _items.Count;

    public CborValue this[int index]
    {
        get => index >= 0 && index < _items.Count
            ? _items[index]
            : throw new CborException(CborErrorKind.MissingKey, $"array has no item {index} (it holds {_items.Count})");
        set => _items[index] = value ?? throw new ArgumentNullException(nameof(value));
    }

    public void Add(CborValue item) => _items.Add(item ?? throw new ArgumentNullException(nameof(item)));

    public IEnumerator<CborValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override void WriteTo(CborWriter writer)
    {
        writer.WriteStartArray(_items.Count);
        foreach (var item in _items)
            item.WriteTo(writer);
        writer.WriteEndArray();
    }

    public override bool Equals(CborValue? other)
    {
        if (other is not CborArray array || array.Count != Count)
            return false;
        for (int i = 0; i < _items.Count; i++)
        {
            if (!_items[i].Equals(array._items[i]))
                return false;
        }
        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_items.Count);
        foreach (var item in _items)
            hash.Add(item);
        return hash.ToHashCode();
    }
}

/// <summary>
/// A CBOR map. Keeps entries in insertion (or decoded) order; encoding sorts them deterministically.
/// Keys are unique by value.
/// </summary>
public sealed class CborMap : CborValue, IEnumerable<KeyValuePair<CborValue, CborValue>>
{
    private readonly List<KeyValuePair<CborValue, CborValue>> _entries = [];
    private readonly Dictionary<CborValue, int> _index = [];

    public override CborValueKind Kind => CborValueKind.Map;

    public int Count => _entries.Count;

    public IEnumerable<CborValue> Keys => _entries.Select(entry => entry.Key);

    /// <summary>Entries in insertion or decoded order.</summary>
    public IReadOnlyList<KeyValuePair<CborValue, CborValue>> Entries => _entries;

    /// <summary>Gets a value (throws <see cref="CborException"/> MissingKey when absent) or sets one (adds or replaces).</summary>
    public CborValue this[CborValue key]
    {
        get => TryGetValue(key, out var value)
            ? value
            : throw new CborException(CborErrorKind.MissingKey, $"map has no key {key}");
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            if (_index.TryGetValue(key, out int position))
                _entries[position] = new(key, value);
            else
                Add(key, value);
        }
    }

    /// <summary>Adds an entry; throws <see cref="ArgumentException"/> when the key exists.</summary>
    public void Add(CborValue key, CborValue value)
    {
        if (!TryAdd(key, value))
            throw new ArgumentException($"duplicate map key {key}", nameof(key));
    }

    public bool TryAdd(CborValue key, CborValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_index.TryAdd(key, _entries.Count))
            return false;
        _entries.Add(new(key, value));
        return true;
    }

    public bool ContainsKey(CborValue key) => _index.ContainsKey(key);

    public bool TryGetValue(CborValue key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CborValue? value)
    {
        if (_index.TryGetValue(key, out int position))
        {
            value = _entries[position].Value;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>The value for a key, or null when absent.</summary>
    public CborValue? GetValueOrDefault(CborValue key) => TryGetValue(key, out var value) ? value : null;

    public bool Remove(CborValue key)
    {
        if (!_index.Remove(key, out int position))
            return false;
        _entries.RemoveAt(position);
        for (int i = position; i < _entries.Count; i++)
            _index[_entries[i].Key] = i;
        return true;
    }

    public IEnumerator<KeyValuePair<CborValue, CborValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override void WriteTo(CborWriter writer)
    {
        writer.WriteStartMap(_entries.Count);
        foreach (var (key, value) in _entries)
        {
            key.WriteTo(writer);
            value.WriteTo(writer);
        }
        writer.WriteEndMap();
    }

    public override bool Equals(CborValue? other)
    {
        if (other is not CborMap map || map.Count != Count)
            return false;
        foreach (var (key, value) in _entries)
        {
            if (!map.TryGetValue(key, out var otherValue) || !value.Equals(otherValue))
                return false;
        }
        return true;
    }

    public override int GetHashCode()
    {
        // Order-independent.
        int hash = _entries.Count;
        foreach (var (key, value) in _entries)
            hash ^= HashCode.Combine(key, value);
        return hash;
    }
}
