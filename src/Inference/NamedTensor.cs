namespace Provenance.Inference;

/// <summary>A named float tensor: the model input or output name, its shape (row-major) and its values.</summary>
public sealed class NamedTensor
{
    private readonly long[] shape;

    /// <exception cref="ArgumentException">A dimension is negative or the value count differs from the shape's product.</exception>
    public NamedTensor(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<float> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        this.shape = shape.ToArray();
        long count = 1;
        foreach (var dim in this.shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape [{string.Join(',', this.shape)}].", nameof(shape));
            }

            count = checked(count * dim);
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Tensor '{name}' of shape [{string.Join(',', this.shape)}] needs {count} values but {data.Length} were given.", nameof(data));
        }

        Name = name;
        Data = data;
    }

    public string Name { get; }

    public IReadOnlyList<long> Shape => shape;

    public ReadOnlyMemory<float> Data { get; }

    /// <summary>The values as a span (row-major).</summary>
    public ReadOnlySpan<float> Span => Data.Span;

    internal ReadOnlySpan<long> ShapeSpan => shape;

    public override string ToString() => $"{Name} [{string.Join(',', shape)}]";
}
