namespace Provenance.Media.Tests;

internal static class ProcessAssert
{
    /// <summary>Asserts the process with this id has ended (waits up to five seconds for the kernel to reap it).</summary>
    public static async Task GoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            if (!IsRunning(pid))
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"process {pid} is still running");
    }

    public static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            // Field 3 is the state; Z (zombie) and X (dead) mean it has exited.
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
