using Google.Protobuf;
using Onnx;

namespace Provenance.Testing;

/// <summary>
/// Builds small ONNX models in memory with the protobuf classes generated from ONNX's own schema, so tests can run
/// real models through ONNX Runtime without shipping files. A dimension of -1 becomes a symbolic dimension.
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly GraphProto graph;
    private readonly ModelProto model;
    private int symbolicDims;

    public OnnxModelBuilder(string graphName = "test", long opsetVersion = 13)
    {
        graph = new GraphProto { Name = graphName };
        model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "provenance-tests",
            ProducerVersion = "1",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opsetVersion });
    }

    /// <summary>A float graph input.</summary>
    public OnnxModelBuilder Input(string name, params long[] dims) => Input(name, TensorProto.Types.DataType.Float, dims);

    public OnnxModelBuilder Input(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>A float graph output.</summary>
    public OnnxModelBuilder Output(string name, params long[] dims) => Output(name, TensorProto.Types.DataType.Float, dims);

    public OnnxModelBuilder Output(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>A constant float tensor (weights), stored as raw little-endian bytes.</summary>
    public OnnxModelBuilder Initializer(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>A constant int64 tensor (shapes, axes).</summary>
    public OnnxModelBuilder Initializer(string name, long[] dims, ReadOnlySpan<long> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>
    /// An operator node. Attribute values may be long/int (INT), float (FLOAT), string (STRING),
    /// long[]/int[] (INTS) or float[] (FLOATS).
    /// </summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(Attribute(name, value));
        }

        graph.Node.Add(node);
        return this;
    }

    /// <summary>A model metadata entry (metadata_props).</summary>
    public OnnxModelBuilder Metadata(string key, string value)
    {
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    public ModelProto Build() => model.Clone();

    public byte[] ToBytes() => model.ToByteArray();

    private ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim < 0
                ? new TensorShapeProto.Types.Dimension { DimParam = "d" + symbolicDims++ }
                : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value)
        {
            case long l:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = l;
                break;
            case int i:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = i;
                break;
            case float f:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = f;
                break;
            case string s:
                attribute.Type = AttributeProto.Types.AttributeType.String;
                attribute.S = ByteString.CopyFromUtf8(s);
                break;
            case long[] ls:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(ls);
                break;
            case int[] ints:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(ints.Select(x => (long)x));
                break;
            case float[] fs:
                attribute.Type = AttributeProto.Types.AttributeType.Floats;
                attribute.Floats.AddRange(fs);
                break;
            default:
                throw new ArgumentException($"Attribute '{name}' has an unsupported value type {value.GetType().Name}.", nameof(value));
        }

        return attribute;
    }
}
