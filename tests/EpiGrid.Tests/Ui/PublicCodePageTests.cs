using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using Microsoft.Playwright;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace EpiGrid.Tests.Ui;

/// <summary>The platform with health-code tokens that live 6 s: the page has to refresh its code well before that.</summary>
public sealed class ShortCodeTokenUiApp : UiApp
{
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?> { ["CodeTokens:Lifetime"] = "00:00:06" };
}

/// <summary>
/// The citizen's self-declaration page (/public/code) on a phone in headless Chromium: the form, the health code it
/// answers with (its QR decoded here and scanned at a checkpoint), field errors, the code's refresh before its token
/// expires, and an identity number declared before from another phone.
/// </summary>
public sealed class PublicCodePageTests(UiApp app, ShortCodeTokenUiApp shortTokens) : IClassFixture<UiApp>, IClassFixture<ShortCodeTokenUiApp>
{
    const string County = "330106";
    static readonly PageWaitForSelectorOptions Attached = new() { State = WaitForSelectorState.Attached };

    /// <summary>A valid resident identity number, born in 1986 (before the tests' 20 February 2020).</summary>
    static string Id(int n) => ResidentIdTests.Make(420106, new DateOnly(1986, 7, 29), 700 + n);

    static async Task<IPage> Open(UiApp platform, string lang = "zh")
    {
        var page = await platform.Browser.Open(platform.BaseAddress, Browser.Phone, lang: lang);
        await page.Context.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        await page.GotoAsync("/public/code");
        await Browser.Ready(page, "public-code");
        return page;
    }

    static async Task Fill(IPage page, string idNumber, string phone, string cellId, params string[] symptoms)
    {
        await page.FillAsync("#idNumber", idNumber);
        await page.FillAsync("#name", "王小明");
        await page.FillAsync("#phone", phone);
        await page.FillAsync("#cellId", cellId);
        await page.SelectOptionAsync(".stay select.county", County);
        foreach (var symptom in symptoms) await page.CheckAsync($"#symptoms input[value='{symptom}']");
    }

    static Task<string?> Data(IPage page, string name) => page.EvaluateAsync<string?>($"document.body.dataset.{name} ?? null");

    static async Task NoCspViolations(IPage page) =>
        (await page.EvaluateAsync<string[]>("window.__csp")).ShouldBeEmpty("the page runs under the strict Content-Security-Policy");

    /// <summary>The QR image's pixels as the phone shows them (on white), scaled up without smoothing.</summary>
    sealed record Pixels(int Width, int Height, byte[] Rgba);

    static async Task<Pixels> QrPixels(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const img = document.getElementById('qr');
              await img.decode();
              const scale = Math.max(1, Math.ceil(480 / img.naturalWidth));
              const w = img.naturalWidth * scale, h = img.naturalHeight * scale;
              const canvas = document.createElement('canvas');
              canvas.width = w; canvas.height = h;
              const ctx = canvas.getContext('2d');
              ctx.fillStyle = '#fff';
              ctx.fillRect(0, 0, w, h);
              ctx.imageSmoothingEnabled = false;
              ctx.drawImage(img, 0, 0, w, h);
              const data = ctx.getImageData(0, 0, w, h).data;
              let s = '';
              for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
              return { width: w, height: h, rgba: btoa(s) };
            }
            """);
        return new Pixels(json.GetProperty("width").GetInt32(), json.GetProperty("height").GetInt32(),
            Convert.FromBase64String(json.GetProperty("rgba").GetString()!));
    }

    static string Decode(Pixels qr)
    {
        var source = new RGBLuminanceSource(qr.Rgba, qr.Width, qr.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        result.ShouldNotBeNull($"the QR image ({qr.Width}×{qr.Height}) decodes");
        return result.Text;
    }

    /// <summary>The mean colour of the QR's ink (every pixel not near white).</summary>
    static (double R, double G, double B) Ink(Pixels qr)
    {
        double r = 0, g = 0, b = 0;
        var n = 0;
        for (var i = 0; i < qr.Rgba.Length; i += 4)
        {
            if (Math.Min(qr.Rgba[i], Math.Min(qr.Rgba[i + 1], qr.Rgba[i + 2])) >= 160) continue;
            (r, g, b, n) = (r + qr.Rgba[i], g + qr.Rgba[i + 1], b + qr.Rgba[i + 2], n + 1);
        }
        n.ShouldBeGreaterThan(qr.Rgba.Length / 4 / 20, "the QR has ink");
        return (r / n, g / n, b / n);
    }

    static void InkIsOf(Pixels qr, string colour)
    {
        var (r, g, b) = Ink(qr);
        var what = $"the QR's dark modules are {colour} (mean ink rgb {r:0}, {g:0}, {b:0})";
        switch (colour)
        {
            case "green": (g > r + 20 && g > b + 20).ShouldBeTrue(what); break;
            case "red": (r > g + 40 && r > b + 40).ShouldBeTrue(what); break;
            case "yellow": (r > b + 60 && g > b + 60).ShouldBeTrue(what); break;
            default: throw new ArgumentOutOfRangeException(nameof(colour), colour, null);
        }
    }

    /// <summary>Nothing in the page (its HTML, its inputs, its storage) holds the identity number or its two telling ends.</summary>
    static async Task ForgetsTheIdentityNumber(IPage page, string idNumber, params string[] secrets)
    {
        var last6 = idNumber[^6..];
        var html = await page.ContentAsync();
        html.ShouldNotContain(idNumber, Case.Insensitive);
        html.ShouldNotContain(last6, Case.Insensitive, "the identity number's last six characters");
        var values = await page.Locator("input, select, textarea").EvaluateAllAsync<string[]>("els => els.map(e => e.value)");
        values.ShouldNotContain(v => v.Contains(last6, StringComparison.OrdinalIgnoreCase), "no input keeps the identity number");
        var storage = await page.EvaluateAsync<string>("JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage))");
        storage.ShouldNotContain(last6, Case.Insensitive);
        foreach (var secret in secrets)
        {
            storage.ShouldNotContain(secret, customMessage: "the code's token is kept in memory only");
            html.ShouldNotContain(secret, customMessage: "the code's token is never written to the page");
        }
    }

    [Fact]
    public async Task A_declaration_on_a_phone_shows_a_green_code_whose_QR_a_checkpoint_scans_and_the_page_forgets_the_identity_number()
    {
        const string cell = "330106-401-001";
        await app.RegisterCell(cell);
        var idNumber = Id(1);
        var page = await Open(app);
        (await page.TextContentAsync("#standing-note"))!.ShouldContain("不会降低");

        await Fill(page, idNumber, "13800001001", cell);
        await page.ClickAsync("#declare");
        await page.WaitForSelectorAsync("body[data-code]", Attached);

        var colour = await Data(page, "code");
        colour.ShouldBe("green", "no symptom, no contact, no travel outside the province");
        (await Data(page, "status")).ShouldBe("accepted");
        (await page.TextContentAsync("#code-banner"))!.ShouldContain("绿码");
        (await page.GetAttributeAsync("#code-banner", "class"))!.ShouldContain("code-green");
        (await page.GetAttributeAsync("#qr-frame", "class"))!.ShouldContain("code-green");
        (await page.IsVisibleAsync("#qr")).ShouldBeTrue();
        (await page.IsVisibleAsync("#declaration")).ShouldBeFalse("the form gives way to the code");
        (await page.GetAttributeAsync("#qr", "src"))!.ShouldStartWith("data:image/png;base64,");
        (await page.GetAttributeAsync("#qr", "alt")).ShouldNotBeNullOrWhiteSpace();
        var masked = (await page.TextContentAsync("#masked-id"))!.Trim();
        masked.ShouldContain("*");
        (await page.TextContentAsync("#valid-until"))!.ShouldContain("2020-02-");
        await Browser.Screenshot(page, "public-code-green");

        var qr = await QrPixels(page);
        var token = Decode(qr);
        InkIsOf(qr, colour!);
        token.ShouldNotContain(idNumber, Case.Insensitive);
        (token.Contains(idNumber[..6]) && token.Contains(idNumber[^6..], StringComparison.OrdinalIgnoreCase)).ShouldBeFalse("the token reveals no part of the identity number");

        using var checkpoint = app.As("checkpoint", County);
        var scan = await checkpoint.PostAsJsonAsync("/api/v1/codes:scan", new { token, place = "Checkpoint test" });
        scan.StatusCode.ShouldBe(HttpStatusCode.OK, await scan.Content.ReadAsStringAsync());
        var scanned = await scan.Body();
        scanned["colour"]!.GetValue<string>().ShouldBe(colour);
        scanned["maskedId"]!.GetValue<string>().ShouldBe(masked);
        scanned["validUntil"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(EpiGridApp.Start);
        scanned["checkedAt"].ShouldNotBeNull();

        var tampered = await checkpoint.PostAsJsonAsync("/api/v1/codes:scan", new { token = Tamper(token), place = "Checkpoint test" });
        var refusal = await tampered.Content.ReadAsStringAsync();
        tampered.StatusCode.ShouldBeOneOf([HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], refusal);
        tampered.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", refusal);
        if (tampered.StatusCode == HttpStatusCode.BadRequest) JsonNode.Parse(refusal)!["errors"]!["token"].ShouldNotBeNull(refusal);

        await ForgetsTheIdentityNumber(page, idNumber, token);
        await NoCspViolations(page);
        await page.Context.CloseAsync();
    }

    /// <summary>The token with one character changed (within its own alphabet, so only the content is wrong).</summary>
    static string Tamper(string token)
    {
        var i = token.Length / 2;
        while (!char.IsLetterOrDigit(token[i])) i++;
        return token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
    }

    [Fact]
    public async Task A_declaration_with_a_fever_shows_a_red_code_in_english_and_in_chinese()
    {
        const string cell = "330106-401-002";
        await app.RegisterCell(cell);
        var page = await Open(app, lang: "en");
        (await page.TextContentAsync("#lang"))!.Trim().ShouldBe("中文");

        await Fill(page, Id(2), "13800001002", cell, "fever");
        await page.ClickAsync("#declare");
        await page.WaitForSelectorAsync("body[data-code='red']", Attached);

        (await page.TextContentAsync("#code-banner"))!.ShouldContain("Red code");
        (await page.GetAttributeAsync("#code-banner", "class"))!.ShouldContain("code-red");
        (await page.GetAttributeAsync("#qr-frame", "class"))!.ShouldContain("code-red");
        InkIsOf(await QrPixels(page), "red");
        await page.ClickAsync("#lang");
        (await page.TextContentAsync("#code-banner"))!.ShouldContain("红码");
        await Browser.Screenshot(page, "public-code-red");
        await NoCspViolations(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_identity_number_with_a_wrong_check_character_is_refused_next_to_its_field_and_no_code_is_shown()
    {
        const string cell = "330106-401-003";
        await app.RegisterCell(cell);
        var valid = Id(3);
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');
        var page = await Open(app);

        await Fill(page, wrong, "13800001003", cell);
        await page.ClickAsync("#declare");
        var error = await page.WaitForSelectorAsync("#declaration [data-error-for='idNumber']:not(:empty)");

        (await error!.TextContentAsync()).ShouldNotBeNullOrWhiteSpace();
        (await page.EvaluateAsync<bool>("document.getElementById('idNumber').closest('.field').contains(document.querySelector(\"[data-error-for='idNumber']\"))"))
            .ShouldBeTrue("the message stands next to the identity number's field");
        (await page.GetAttributeAsync("#idNumber", "aria-invalid")).ShouldBe("true");
        (await page.InputValueAsync("#idNumber")).ShouldBe(wrong, "the form stays as typed, to be corrected");
        (await page.IsVisibleAsync("#result")).ShouldBeFalse();
        (await Data(page, "code")).ShouldBeNull();
        page.Url.ShouldEndWith("/public/code");
        await Browser.Screenshot(page, "public-code-field-error");
        await NoCspViolations(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_page_refreshes_the_code_before_its_token_expires()
    {
        const string cell = "330106-401-004";
        await shortTokens.RegisterCell(cell);
        var page = await Open(shortTokens);

        await Fill(page, Id(4), "13800001004", cell);
        await page.ClickAsync("#declare");
        await page.WaitForSelectorAsync("body[data-code]", Attached);
        // The QR and the count of refreshes read together: with 6 s tokens the first refresh comes about a second later.
        var shown = await page.EvaluateAsync<string[]>("[document.getElementById('qr').src, document.body.dataset.refreshed ?? '0']");
        var (first, refreshes) = (shown[0], int.Parse(shown[1]));
        (await page.TextContentAsync("#refresh-line"))!.ShouldMatch(@"秒后刷新|正在刷新");

        await page.WaitForSelectorAsync($"body[data-refreshed='{refreshes + 1}']", new() { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        var refreshed = await page.GetAttributeAsync("#qr", "src");
        refreshed.ShouldStartWith("data:image/png;base64,");
        refreshed.ShouldNotBe(first, "a refresh brings a new token, so a new QR");
        (await Data(page, "code")).ShouldBe("green");
        (await Data(page, "status")).ShouldBe("accepted");
        await NoCspViolations(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_identity_number_declared_before_from_another_phone_waits_for_the_grid_workers_and_shows_no_code()
    {
        const string cell = "330106-401-005";
        await app.RegisterCell(cell);
        var idNumber = Id(5);
        using (var anonymous = app.Anonymous())
        {
            var first = await anonymous.PostAsJsonAsync("/api/v1/public/declarations", new
            {
                idNumber, name = "王小明", phone = "13800001005", cellId = cell,
                itinerary = new[] { new { county = County, from = "2020-02-18T00:00:00+08:00", to = "2020-02-19T23:59:59+08:00" } },
                symptoms = Array.Empty<string>(), contactWithCase = false,
            });
            first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        }
        var page = await Open(app);

        await Fill(page, idNumber, "13900001005", cell);
        await page.ClickAsync("#declare");
        await page.WaitForSelectorAsync("body[data-status='verification-pending']", Attached);

        (await page.IsVisibleAsync("#notice")).ShouldBeTrue();
        (await page.TextContentAsync("#notice"))!.ShouldContain("网格员");
        (await Data(page, "code")).ShouldBeNull();
        (await page.IsVisibleAsync("#result")).ShouldBeFalse();
        (await page.GetAttributeAsync("#qr", "src")).ShouldBeNull("no QR for a declaration waiting to be verified");
        await ForgetsTheIdentityNumber(page, idNumber);
        await Browser.Screenshot(page, "public-code-verification-pending");
        await NoCspViolations(page);
        await page.Context.CloseAsync();
    }
}
