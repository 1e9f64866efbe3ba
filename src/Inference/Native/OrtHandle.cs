using System.Runtime.InteropServices;

namespace Provenance.Inference.Native;

/// <summary>An owned ONNX Runtime object, released through its <c>Release*</c> entry of the API table.</summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<IntPtr, void> release;

    internal OrtHandle(IntPtr value, delegate* unmanaged<IntPtr, void> release)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        this.release = release;
        SetHandle(value);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        release(handle);
        return true;
    }
}
