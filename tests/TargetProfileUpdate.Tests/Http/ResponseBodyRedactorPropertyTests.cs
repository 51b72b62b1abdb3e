using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Tests.Http;

/// <summary>
/// Property test over seeded random secrets (deterministic, so a failure reproduces): ids, values and tokens of random
/// Unicode, echoed in every form a server might use at random places of a body of up to 4 KB, carried as free text in
/// each documented answer shape and as a code field's value. The kept body is exactly the shape's code fields: nothing
/// of a secret survives, in any encoding, because free text is never kept (docs/adr/0004).
/// </summary>
public sealed class ResponseBodyRedactorPropertyTests
{
    // Secrets draw from this alphabet; the filler around them from a disjoint one (also under case folding), so that the
    // expected output is known exactly.
    private static readonly string[] SecretRunes =
    [
        "a", "b", "c", "x", "y", "z", "A", "B", "E", "Q", "u", "U", "0", "1", "7", "9", " ", " ", "+", "+", "/", "=", "%", "&", ";", "#",
        "\\", "\"", "<", ">", "'", "-", ".", "@", "?", "é", "É", "ü", "ñ", "ø", "中", "日", "Ж", "ж", "€", "\u00A0", "😀", "𝄞",
    ];

    private static readonly string[] FillerRunes = ["_", "~", "|", "^", "!", "(", ")", "[", "]", "{", "}", ":", ",", "§", "¶", "\n"];

    private enum Form
    {
        Raw, PercentUpper, PercentLower, PercentEverything, FormPlus, Json, JsonEverything, HtmlDecimal, HtmlHex, HtmlNamed, MixedPerCharacter,
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Redactor_RandomSecretsInEveryEncodingAndPosition_NoneSurvivesAndTheCodeFieldsDo()
    {
        var random = new Random(20261124);
        var forms = Enum.GetValues<Form>();
        int checkedBodies = 0, beyondTheOutputLimit = 0;
        for (int n = 0; n < 1500; n++)
        {
            string id = RandomSecret(random, 3, 24);
            string value = RandomSecret(random, 3, 30);
            string token = RandomSecret(random, 3, 40);
            var update = ProfileUpdate.ForThirdPartyId(id).Set("a", value).Set("b", RandomSecret(random, 3, 12));
            string[] secrets = [id, value, token, update.Attributes["b"]];

            var body = new StringBuilder();
            var expected = new StringBuilder();
            int echoes = random.Next(1, 6);
            AppendFiller(random, body, expected, random.Next(0, 900));
            for (int e = 0; e < echoes; e++)
            {
                string secret = secrets[random.Next(secrets.Length)];
                var form = forms[random.Next(forms.Length)];
                string echo = Encode(random, secret, form);
                AssertDecodesBack(secret, echo, form);
                body.Append(echo);
                expected.Append("***");
                AppendFiller(random, body, expected, random.Next(e == echoes - 1 ? 0 : 1, 600));
            }

            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(body.ToString());
            if (bytes.Length >= TargetProfileUpdate.Http.AttemptFacts.DefaultMaxBodyBytes)
            {
                continue; // a cut body is covered by Redactor_BodyCutMidSecretAtTheReadLimit_LeavesNoPrefix
            }

            // The echoes as free text in each documented shape: only the shape's code fields survive, never a byte of text.
            string text = body.ToString();
            string json = "{\"error\":\"invalid_request\",\"requestId\":\"req-42\",\"message\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}";
            string xml = "<response><success>false</success><message>" + System.Security.SecurityElement.Escape(text) + "</message></response>";
            Assert.Equal("error=invalid_request, requestId=req-42", ResponseBodyRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(json), update, token));
            Assert.Equal("success=false", ResponseBodyRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(xml), update, token));
            Assert.Null(ResponseBodyRedactor.Redact(bytes, update, token));

            // A secret echoed as the value of a code field is dropped with it, whatever its characters.
            string echoInCode = "{\"errorCode\":" + System.Text.Json.JsonSerializer.Serialize(secrets[random.Next(secrets.Length)]) + ",\"status\":400}";
            Assert.Equal("status=400", ResponseBodyRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(echoInCode), update, token));
            checkedBodies++;
            beyondTheOutputLimit += expected.Length > ResponseBodyRedactor.MaxLength ? 1 : 0;
        }

        // Not vacuous: most bodies were checked, and many of them were cut to the output limit after masking.
        Assert.True(checkedBodies > 1200, $"{checkedBodies} bodies checked");
        Assert.True(beyondTheOutputLimit > 300, $"{beyondTheOutputLimit} bodies beyond the output limit");
    }

    private static string RandomSecret(Random random, int minRunes, int maxRunes)
    {
        var text = new StringBuilder();
        int runes = random.Next(minRunes, maxRunes + 1);
        for (int i = 0; i < runes; i++)
        {
            string rune;
            do
            {
                rune = SecretRunes[random.Next(SecretRunes.Length)];
            }
            while (i == 0 && string.IsNullOrWhiteSpace(rune)); // ids must not be white space

            text.Append(rune);
        }

        return text.ToString();
    }

    private static void AppendFiller(Random random, StringBuilder body, StringBuilder expected, int length)
    {
        for (int i = 0; i < length; i++)
        {
            string rune = FillerRunes[random.Next(FillerRunes.Length)];
            body.Append(rune);
            expected.Append(rune);
        }
    }

    private static string Encode(Random random, string secret, Form form)
    {
        var output = new StringBuilder();
        if (form is Form.PercentUpper)
        {
            return Uri.EscapeDataString(secret);
        }

        if (form is Form.PercentLower)
        {
            return LowerHex(Uri.EscapeDataString(secret));
        }

        foreach (var rune in secret.EnumerateRunes())
        {
            var f = form == Form.MixedPerCharacter ? (Form)random.Next((int)Form.MixedPerCharacter) : form;
            output.Append(EncodeRune(random, rune, f));
        }

        return output.ToString();
    }

    private static string EncodeRune(Random random, Rune rune, Form form)
    {
        string text = rune.ToString();
        bool lower = random.Next(2) == 0;
        switch (form)
        {
            case Form.Raw:
                return text;
            case Form.PercentUpper:
                return Uri.EscapeDataString(text);
            case Form.PercentLower:
                return LowerHex(Uri.EscapeDataString(text));
            case Form.PercentEverything:
                return Percent(rune, lower);
            case Form.FormPlus:
                return rune.Value == ' ' ? "+" : rune.IsAscii && char.IsAsciiLetterOrDigit((char)rune.Value) ? text : Percent(rune, lower);
            case Form.Json:
                return rune.Value switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '/' => random.Next(2) == 0 ? "\\/" : "/",
                    < 0x80 => text,
                    _ => JsonU(text, lower),
                };
            case Form.JsonEverything:
                return JsonU(text, lower);
            case Form.HtmlDecimal:
                return "&#" + rune.Value.ToString(CultureInfo.InvariantCulture) + ";";
            case Form.HtmlHex:
                return (lower ? "&#x" : "&#X") + rune.Value.ToString(lower ? "x" : "X", CultureInfo.InvariantCulture) + ";";
            default:
                return rune.Value switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&apos;",
                    'é' => "&eacute;",
                    'É' => "&Eacute;",
                    'ü' => "&uuml;",
                    'ñ' => "&ntilde;",
                    'ø' => "&oslash;",
                    '€' => "&euro;",
                    0xA0 => "&nbsp;",
                    _ => text,
                };
        }
    }

    private static string Percent(Rune rune, bool lower)
    {
        Span<byte> utf8 = stackalloc byte[4];
        int count = rune.EncodeToUtf8(utf8);
        var text = new StringBuilder();
        foreach (byte b in utf8[..count])
        {
            text.Append('%').Append(b.ToString(lower ? "x2" : "X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static string JsonU(string text, bool lower)
    {
        var output = new StringBuilder();
        foreach (char c in text)
        {
            output.Append("\\u").Append(((int)c).ToString(lower ? "x4" : "X4", CultureInfo.InvariantCulture));
        }

        return output.ToString();
    }

    private static string LowerHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
            }
        }

        return new string(chars);
    }

    /// <summary>The test's own encoders are checked against the framework's decoders, so an echo really carries the secret.</summary>
    private static void AssertDecodesBack(string secret, string echo, Form form)
    {
        string? decoded = form switch
        {
            Form.PercentUpper or Form.PercentLower or Form.PercentEverything => Uri.UnescapeDataString(echo),
            Form.FormPlus => WebUtility.UrlDecode(echo),
            Form.Json or Form.JsonEverything => JsonSerializer.Deserialize<string>("\"" + echo + "\""),
            Form.HtmlDecimal or Form.HtmlHex or Form.HtmlNamed => WebUtility.HtmlDecode(echo),
            _ => secret,
        };
        Assert.Equal(secret, decoded);
    }
}
