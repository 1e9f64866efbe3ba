using System.Text.Json;
using Provenance.Api.Pages;
using Provenance.Detector.Reports;

namespace Provenance.Api.Tests.Pages;

/// <summary>The report page's watermark card, rendered from the scan report's JSON as the Detector writes it.</summary>
public sealed class ReportWatermarkSectionTests
{
    private static string Render(WatermarkSection watermark)
    {
        var json = JsonSerializer.SerializeToElement(new { watermark }, ScanReportJson.Options);
        return ReportPage.WatermarkSection(json);
    }

    [Theory]
    [InlineData("mirrored", "mirrored left to right")]
    [InlineData("upside-down", "turned 180")]
    [InlineData("mirrored-upside-down", "flipped top to bottom")]
    [InlineData("turned-clockwise", "turned a quarter clockwise")]
    [InlineData("anti-transposed", "transposed across the other diagonal")]
    public void FoundOnATurnedPicture_ShowsHowItWasTurned(string orientation, string expected)
    {
        var html = Render(new WatermarkSection
        {
            Status = CheckStatus.Checked, Found = true, Payload = "5eed000000000001", PValue = 2e-12, Orientation = orientation,
        });
        Assert.Contains("Picture orientation", html);
        Assert.Contains(expected, System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("5eed000000000001", html);
    }

    [Fact]
    public void FoundUpright_OrNotFound_HasNoOrientationRow()
    {
        var upright = Render(new WatermarkSection { Status = CheckStatus.Checked, Found = true, Payload = "5eed000000000001", PValue = 2e-12, Orientation = "upright" });
        var missed = Render(new WatermarkSection { Status = CheckStatus.Checked, Found = false, PValue = 0.4 });
        Assert.Contains("Invisible watermark", upright);
        Assert.DoesNotContain("Picture orientation", upright);
        Assert.DoesNotContain("Picture orientation", missed);
    }
}
