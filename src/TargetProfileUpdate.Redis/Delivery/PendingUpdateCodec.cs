using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace TargetProfileUpdate.Redis.Delivery;

/// <summary>
/// One pending update as a Redis list item: <c>{deferredAt Unix ms}|{json}</c>, the JSON <c>{"k":kind,"id":id,"a":[[name,value],…]}</c>
/// written and read with <see cref="Utf8JsonWriter"/>/<see cref="JsonDocument"/> (no reflection: trimming- and AOT-safe).
/// The leading time lets the store's scripts read the age of a list's head without parsing JSON.
/// </summary>
internal static class PendingUpdateCodec
{
    public static string Encode(PendingProfileUpdate pending)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("k", (int)pending.Id.Kind);
            json.WriteString("id", pending.Id.Value);
            json.WriteStartArray("a");
            foreach (var (name, value) in pending.Update.Attributes)
            {
                json.WriteStartArray();
                json.WriteStringValue(name);
                json.WriteStringValue(value);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return pending.DeferredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "|" + System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static PendingProfileUpdate Decode(string item)
    {
        int bar = item.IndexOf('|', StringComparison.Ordinal);
        var deferredAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture));
        using var json = JsonDocument.Parse(item.AsMemory(bar + 1));
        var root = json.RootElement;
        var kind = (ProfileIdKind)root.GetProperty("k").GetInt32();
        string id = root.GetProperty("id").GetString()!;
        var update = kind == ProfileIdKind.PcId ? ProfileUpdate.ForPcId(id) : ProfileUpdate.ForThirdPartyId(id);
        foreach (var pair in root.GetProperty("a").EnumerateArray())
        {
            update.Set(pair[0].GetString()!, pair[1].GetString()!);
        }

        return new PendingProfileUpdate(update, deferredAt);
    }
}
