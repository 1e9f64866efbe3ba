using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Provenance.Api.Auth;
using Provenance.Api.Tests.Infrastructure;
using Provenance.Testing;

namespace Provenance.Api.Tests.Browser;

/// <summary>
/// The web pages in Debian's headless chromium (installed by scripts/setup.sh --tests): a person enters a key, uploads
/// a clip, watches the scan, and reads the report. The report page's screenshot is kept under screenshots/.
/// </summary>
public sealed class ReportPageBrowserTests : IClassFixture<LiveService>, IDisposable
{
    private readonly LiveService _service;
    private readonly string _profile = Directory.CreateTempSubdirectory("provenance-chromium-").FullName;
    private readonly ChromeDriver _browser;

    public ReportPageBrowserTests(LiveService service)
    {
        _service = service;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,2000",
            $"--user-data-dir={_profile}");
        // The driver is Debian's chromedriver beside the browser: never downloaded.
        var driverService = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        driverService.SuppressInitialDiagnosticInformation = true;
        _browser = new ChromeDriver(driverService, options, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task UploadPage_ScansADroppedClip_AndTheReportShowsEverySection()
    {
        var key = await _service.CreateKeyAsync(ApiKeyScopes.Scan);
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 640, 360, 2, 25);

        _browser.Navigate().GoToUrl(new Uri(_service.BaseAddress, "/"));
        Assert.Equal("Scan a video · Provenance", _browser.Title);
        var send = _browser.FindElement(By.Id("send"));
        Assert.False(send.Enabled, "upload must wait for a key and a file");

        _browser.FindElement(By.Id("key")).SendKeys(key);
        // The file input is hidden behind the drop zone; reveal it the way a test can type a path into it.
        ((IJavaScriptExecutor)_browser).ExecuteScript("document.getElementById('file').hidden = false;");
        _browser.FindElement(By.Id("file")).SendKeys(clip);
        Assert.Contains(Path.GetFileName(clip), _browser.FindElement(By.Id("chosen")).Text);
        Assert.True(send.Enabled);
        send.Click();

        var wait = new WebDriverWait(_browser, TimeSpan.FromMinutes(4)) { PollingInterval = TimeSpan.FromMilliseconds(250) };
        wait.Until(d => d.Url.EndsWith("/report.html", StringComparison.Ordinal)
            && d.FindElements(By.CssSelector("#verdict .verdict")).FirstOrDefault()?.GetAttribute("data-verdict") is { } v
            && v is not ("queued" or "running"));

        var verdict = _browser.FindElement(By.CssSelector("#verdict .verdict")).GetAttribute("data-verdict");
        Assert.Contains(verdict, new[] { "likely-authentic", "likely-synthetic", "abstain" });
        Assert.NotEmpty(_browser.FindElements(By.CssSelector("#reasons li")));
        Assert.Equal("absent", _browser.FindElement(By.Id("credentials-state")).Text);
        Assert.Contains("no", _browser.FindElement(By.Id("watermark")).Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("No ledger record", _browser.FindElement(By.Id("ledger")).Text);
        Assert.Contains(Path.GetFileName(clip), _browser.FindElement(By.TagName("main")).Text);
        // The classifier's per-frame timeline is an SVG plot with one point per sampled frame.
        Assert.NotEmpty(_browser.FindElements(By.CssSelector("svg#timeline circle.pt")));

        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var shot = Path.Combine(folder, "scan-report.png");
        ((ITakesScreenshot)_browser).GetScreenshot().SaveAsFile(shot);
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [Fact]
    public void ReportPage_HasAPrintStylesheet_ThatHidesControls()
    {
        _browser.Navigate().GoToUrl(new Uri(_service.BaseAddress, "/"));
        var css = (string?)((IJavaScriptExecutor)_browser).ExecuteScript(
            "return [...document.styleSheets].flatMap(s => [...s.cssRules]).filter(r => r.media && r.media.mediaText === 'print').map(r => r.cssText).join('\\n');");
        Assert.NotNull(css);
        Assert.Contains(".noprint", css);
        Assert.Contains("display: none", css);
    }

    public void Dispose()
    {
        _browser.Quit();
        _browser.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
