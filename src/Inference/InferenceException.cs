namespace Provenance.Inference;

/// <summary>Error codes reported by ONNX Runtime (its <c>OrtErrorCode</c> values), plus the library-loading case.</summary>
public enum InferenceErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    ExecutionProviderFailure = 11,

    /// <summary>The ONNX Runtime native library could not be found or loaded.</summary>
    LibraryNotFound = 1000,
}

/// <summary>
/// The one exception type that leaves this project for inference failures: a status returned by ONNX Runtime
/// (with its code and message) or a caller mistake caught before the native call (same codes).
/// </summary>
public sealed class InferenceException : Exception
{
    public InferenceException(InferenceErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public InferenceException(InferenceErrorCode code, string message, Exception inner)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>The ONNX Runtime error code, or <see cref="InferenceErrorCode.LibraryNotFound"/>.</summary>
    public InferenceErrorCode Code { get; }
}
