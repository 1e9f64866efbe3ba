namespace Provenance.Inference.ModelCards;

/// <summary>
/// A model was refused because of its card: the card is missing or invalid, the model file does not hash to the
/// card's SHA-256, or the model's declared inputs and outputs contradict the card.
/// </summary>
public sealed class ModelCardException : Exception
{
    public ModelCardException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public ModelCardException(string message, Exception inner)
        : base(message, inner)
    {
        Problems = [message];
    }

    public ModelCardException(string message, IReadOnlyList<string> problems)
        : base(message)
    {
        Problems = problems;
    }

    /// <summary>Each problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
