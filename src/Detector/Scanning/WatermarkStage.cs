using Provenance.Detector.Classification;
using Provenance.Detector.Reports;
using Provenance.Detector.Sampling;
using Provenance.Watermark;

namespace Provenance.Detector.Scanning;

/// <summary>
/// The invisible watermark as a scan stage: the shared rgb24 frames are turned back into luma (BT.601, limited range,
/// the plane the embedder marks) and fed to the extractor; its decision, p-value and timeline go into the report.
/// </summary>
public sealed class WatermarkStage(WatermarkKey key, WatermarkOptions? options = null) : IWatermarkCheck
{
    public WatermarkOptions Options { get; } = options ?? WatermarkOptions.Default;

    /// <summary>
    /// Starts an extraction fed while frames decode: <see cref="StreamingExtraction.Add"/> from the decoding loop (frames
    /// are processed on a background task), then <see cref="StreamingExtraction.FinishAsync"/>.
    /// </summary>
    public StreamingExtraction Begin(CancellationToken cancellationToken) => new(new TiledWatermarkExtractor(key, Options), Options.PValueThreshold, cancellationToken);

    /// <summary>A watermark extraction that accumulates frames on a background task as they arrive.</summary>
    public sealed class StreamingExtraction
    {
        private readonly System.Threading.Channels.Channel<SampledFrame> queue =
            System.Threading.Channels.Channel.CreateBounded<SampledFrame>(new System.Threading.Channels.BoundedChannelOptions(64) { SingleReader = true, FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait });
        private readonly Task<WatermarkSection> worker;

        internal StreamingExtraction(TiledWatermarkExtractor extractor, double threshold, CancellationToken cancellationToken)
        {
            worker = Task.Run(async () =>
            {
                try
                {
                    byte[]? luma = null;
                    await foreach (var frame in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var image = frame.Image;
                        if (luma is null || luma.Length != image.Width * image.Height)
                        {
                            luma = new byte[image.Width * image.Height];
                        }
                        ToLuma(image, luma);
                        extractor.Accumulate(luma, image.Width, image.Height, image.Width, frame.Index, frame.TimeSeconds);
                    }
                    return ToSection(extractor.Result(), threshold);
                }
                finally
                {
                    // A writer waiting on a full queue must not wait for a reader that is gone.
                    queue.Writer.TryComplete();
                }
            }, CancellationToken.None); // always runs, so the queue is always completed
        }

        /// <summary>Queues a decoded frame (waits when 64 are pending). Once the extraction has ended (cancelled or failed)
        /// frames are dropped: <see cref="FinishAsync"/> reports why.</summary>
        public void Add(SampledFrame frame)
        {
            try
            {
                queue.Writer.WriteAsync(frame).AsTask().GetAwaiter().GetResult();
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
            }
        }

        /// <summary>Ends the input and returns the decision.</summary>
        public Task<WatermarkSection> FinishAsync()
        {
            queue.Writer.TryComplete();
            return worker;
        }
    }

    public Task<WatermarkSection> ExtractAsync(SampledVideo video, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var extractor = new TiledWatermarkExtractor(key, Options);
        byte[]? luma = null;
        foreach (var frame in video.Frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = frame.Image;
            luma ??= new byte[image.Width * image.Height];
            ToLuma(image, luma);
            extractor.Accumulate(luma, image.Width, image.Height, image.Width, frame.Index, frame.TimeSeconds);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return ToSection(extractor.Result(), Options.PValueThreshold);
    }, cancellationToken);

    public static WatermarkSection ToSection(WatermarkDetection d, double pValueThreshold)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new WatermarkSection
        {
            Status = CheckStatus.Checked,
            Reason = d.Note,
            Found = d.Found,
            Payload = d.Found ? d.PayloadHex : null,
            PValue = d.PValue,
            Orientation = d.Found ? d.Orientation.Name() : null,
            Segments = d.Segments.Select(s => new Reports.WatermarkSegment(
                Math.Round(s.StartSeconds, 3), Math.Round(s.EndSeconds, 3), d.Found && s.PValue <= pValueThreshold,
                d.Found && s.PValue <= pValueThreshold ? d.PayloadHex : null, s.PValue)).ToList(),
        };
    }

    /// <summary>Y' = 16 + (65.738 R + 129.057 G + 25.064 B) / 256, rounded: the luma ffmpeg's yuv420p carries.</summary>
    public static void ToLuma(RgbImage image, Span<byte> luma)
    {
        var px = image.Pixels.Span;
        var n = image.Width * image.Height;
        for (var i = 0; i < n; i++)
        {
            var y = (16.0 * 256 + 65.738 * px[i * 3] + 129.057 * px[i * 3 + 1] + 25.064 * px[i * 3 + 2]) / 256.0;
            luma[i] = (byte)Math.Clamp((int)(y + 0.5), 0, 255);
        }
    }
}
