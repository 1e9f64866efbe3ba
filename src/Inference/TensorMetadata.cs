namespace Provenance.Inference;

/// <summary>ONNX tensor element types (ONNX <c>TensorProto.DataType</c> numbering).</summary>
public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}

/// <summary>
/// A model input or output as the session declares it. <see cref="Dimensions"/> holds -1 for a symbolic
/// (batch-size-like) dimension; <see cref="IsTensor"/> is false for sequences and maps, which this project does not run.
/// </summary>
public sealed record TensorMetadata(string Name, bool IsTensor, TensorElementType ElementType, IReadOnlyList<long> Dimensions)
{
    public override string ToString() =>
        IsTensor ? $"{Name}: {ElementType} [{string.Join(',', Dimensions)}]" : $"{Name}: (not a tensor)";
}
