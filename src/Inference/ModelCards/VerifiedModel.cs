using System.Security.Cryptography;

namespace Provenance.Inference.ModelCards;

/// <summary>
/// A classifier model whose bytes were read once and checked against its card's SHA-256. Sessions are created from
/// <see cref="Bytes"/> (the very bytes that were hashed), so the file cannot change between check and load.
/// </summary>
public sealed class VerifiedModel
{
    /// <summary>The card file that sits beside <c>NAME.onnx</c>.</summary>
    public const string CardSuffix = ".card.json";

    /// <summary>Upper bound on a model file read into memory.</summary>
    public const long MaxModelBytes = 1L << 30;

    private VerifiedModel(ModelCard card, string cardPath, string modelPath, byte[] bytes)
    {
        Card = card;
        CardPath = cardPath;
        ModelPath = modelPath;
        Bytes = bytes;
    }

    public ModelCard Card { get; }

    public string CardPath { get; }

    public string ModelPath { get; }

    /// <summary>The model bytes whose hash matched the card.</summary>
    public byte[] Bytes { get; }

    /// <summary>The card path for a model path: <c>x/NAME.onnx</c> → <c>x/NAME.card.json</c>.</summary>
    public static string CardPathFor(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", Path.GetFileNameWithoutExtension(modelPath) + CardSuffix);

    /// <summary>Lower-case hex SHA-256, as cards store it.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Loads a model and its card from either path: an <c>.onnx</c> file (its card beside it) or a
    /// <c>.card.json</c> file (its model named by <see cref="ModelCard.File"/>).
    /// </summary>
    /// <exception cref="ModelCardException">The card is missing or invalid, or the model's hash differs from it.</exception>
    public static async Task<VerifiedModel> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var cardPath = path.EndsWith(CardSuffix, StringComparison.Ordinal) ? Path.GetFullPath(path) : CardPathFor(path);
        var card = ModelCard.Load(cardPath);
        var modelPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(cardPath)!, card.File));
        if (!path.EndsWith(CardSuffix, StringComparison.Ordinal) &&
            !string.Equals(modelPath, Path.GetFullPath(path), StringComparison.Ordinal))
        {
            throw new ModelCardException($"The card {cardPath} describes {card.File}, not {Path.GetFileName(path)}.");
        }

        var info = new FileInfo(modelPath);
        if (!info.Exists)
        {
            throw new ModelCardException($"The card {cardPath} names model file {card.File}, which does not exist at {modelPath}.");
        }

        if (info.Length > MaxModelBytes)
        {
            throw new ModelCardException($"Model {modelPath} is {info.Length} bytes; at most {MaxModelBytes} are read.");
        }

        var bytes = await File.ReadAllBytesAsync(modelPath, cancellationToken).ConfigureAwait(false);
        return FromBytes(card, bytes, cardPath, modelPath);
    }

    /// <summary>Checks in-memory model bytes against a card.</summary>
    /// <exception cref="ModelCardException">The bytes do not hash to the card's SHA-256.</exception>
    public static VerifiedModel FromBytes(ModelCard card, byte[] bytes, string cardPath = "(in memory)", string modelPath = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(bytes);
        var actual = Sha256Hex(bytes);
        if (!string.Equals(actual, card.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelCardException(
                $"Model {modelPath} was refused: its SHA-256 is {actual} but its card '{card.Name}' {card.Version} says {card.Sha256.ToLowerInvariant()}.");
        }

        return new VerifiedModel(card, cardPath, modelPath, bytes);
    }

    /// <summary>
    /// Creates a session and checks that the model declares the card's input (a 4-D float image tensor of the card's
    /// size and layout) and output.
    /// </summary>
    /// <exception cref="ModelCardException">The model's inputs or outputs contradict the card.</exception>
    /// <exception cref="InferenceException">ONNX Runtime refused the model.</exception>
    public InferenceSession CreateSession(InferenceOptions? options = null)
    {
        var session = InferenceSessionFactory.Create(Bytes, options);
        try
        {
            var problems = ContractProblems(session);
            if (problems.Count > 0)
            {
                throw new ModelCardException(
                    $"Model {ModelPath} contradicts its card '{Card.Name}': {string.Join("; ", problems)}.", problems);
            }

            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private List<string> ContractProblems(InferenceSession session)
    {
        var problems = new List<string>();
        var input = session.Inputs.FirstOrDefault(i => i.Name == Card.Input.Name);
        if (input is null)
        {
            problems.Add($"it has no input '{Card.Input.Name}' (inputs: {string.Join(", ", session.Inputs.Select(i => i.Name))})");
        }
        else
        {
            var expected = Card.Input.Layout == TensorLayout.Nchw
                ? new long[] { -1, Card.Input.Channels, Card.Input.Height, Card.Input.Width }
                : new long[] { -1, Card.Input.Height, Card.Input.Width, Card.Input.Channels };
            var dims = input.Dimensions;
            var matches = input.IsTensor && input.ElementType == TensorElementType.Float && dims.Count == 4 &&
                          Enumerable.Range(1, 3).All(i => dims[i] == -1 || dims[i] == expected[i]);
            if (!matches)
            {
                problems.Add($"input {input} does not match the card's float {Card.Input.Layout} image of {Card.Input.Channels}x{Card.Input.Height}x{Card.Input.Width}");
            }
        }

        var output = session.Outputs.FirstOrDefault(o => o.Name == Card.Output.Name);
        if (output is null)
        {
            problems.Add($"it has no output '{Card.Output.Name}' (outputs: {string.Join(", ", session.Outputs.Select(o => o.Name))})");
        }
        else if (!output.IsTensor || output.ElementType != TensorElementType.Float)
        {
            problems.Add($"output {output} is not a float tensor");
        }

        return problems;
    }
}
