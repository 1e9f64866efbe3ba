namespace Provenance.Generator.Safety;

/// <summary>
/// Holds the current policy and reloads it when its file changes, without a restart: at most every
/// <see cref="SafetyOptions.ReloadCheckInterval"/> a request compares the file's (and names file's) time
/// stamp and size with those loaded. A file that fails to parse leaves the last good policy in force and
/// is reported through <see cref="LastReloadError"/>.
/// </summary>
public sealed class SafetyPolicyProvider
{
    private readonly string? _path;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private SafetyPolicy _current;
    private (DateTime Stamp, long Length) _loadedStamp;
    private DateTimeOffset _nextCheck;

    public SafetyPolicyProvider(SafetyOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = string.IsNullOrWhiteSpace(options.PolicyPath) ? null : Path.GetFullPath(options.PolicyPath);
        _interval = options.ReloadCheckInterval;
        _time = time ?? TimeProvider.System;
        if (_path is null)
        {
            _current = SafetyPolicy.Default;
        }
        else
        {
            // A missing or broken policy at start-up is an error: the service must not run unguarded.
            _current = SafetyPolicy.Load(_path);
            _loadedStamp = Stamp(_current.SourceFiles);
        }
        _nextCheck = _time.GetUtcNow() + _interval;
    }

    /// <summary>The policy file in use, or null for the shipped default.</summary>
    public string? PolicyPath => _path;

    /// <summary>Why the last reload attempt failed, or null.</summary>
    public string? LastReloadError { get; private set; }

    /// <summary>Number of successful reloads since start.</summary>
    public int ReloadCount { get; private set; }

    /// <summary>The policy in force, reloading it first if the file changed.</summary>
    public SafetyPolicy Current
    {
        get
        {
            if (_path is not null && _time.GetUtcNow() >= _nextCheck)
            {
                ReloadIfChanged();
            }
            return _current;
        }
    }

    /// <summary>Reloads now if the file's time stamp or size changed; returns whether a new policy is in force.</summary>
    public bool ReloadIfChanged()
    {
        if (_path is null)
        {
            return false;
        }
        lock (_gate)
        {
            _nextCheck = _time.GetUtcNow() + _interval;
            var stamp = Stamp(_current.SourceFiles);
            if (stamp == _loadedStamp)
            {
                return false;
            }
            try
            {
                var policy = SafetyPolicy.Load(_path);
                _loadedStamp = Stamp(policy.SourceFiles);
                if (policy.Version == _current.Version)
                {
                    return false;
                }
                _current = policy;
                LastReloadError = null;
                ReloadCount++;
                return true;
            }
            catch (SafetyPolicyException e)
            {
                LastReloadError = e.Message;
                return false;
            }
        }
    }

    private static (DateTime Stamp, long Length) Stamp(IReadOnlyList<string> files)
    {
        var stamp = DateTime.MinValue;
        long length = 0;
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                length -= 1;
                continue;
            }
            stamp = info.LastWriteTimeUtc > stamp ? info.LastWriteTimeUtc : stamp;
            length += info.Length;
        }
        return (stamp, length);
    }
}
