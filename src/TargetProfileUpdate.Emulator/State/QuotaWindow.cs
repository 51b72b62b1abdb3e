using System;
using System.Collections.Generic;

namespace TargetProfileUpdate.Emulator.State;

/// <summary>An exact rolling-window counter: one timestamp per accepted request, expired as the window slides.</summary>
internal sealed class QuotaWindow(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Queue<long> _stamps = new();
    private readonly object _gate = new();

    public bool TryAcquire(out TimeSpan retryAfter)
    {
        long now = time.GetTimestamp();
        lock (_gate)
        {
            while (_stamps.Count > 0 && time.GetElapsedTime(_stamps.Peek(), now) >= window)
            {
                _stamps.Dequeue();
            }

            if (_stamps.Count < limit)
            {
                _stamps.Enqueue(now);
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = window - time.GetElapsedTime(_stamps.Peek(), now);
            return false;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _stamps.Clear();
        }
    }
}
