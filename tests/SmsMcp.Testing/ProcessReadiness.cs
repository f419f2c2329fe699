using System.Collections.Concurrent;
using System.Diagnostics;

namespace SmsMcp.Testing;

/// <summary>Starts a long-running peer process and reports when it prints its ready line, keeping everything it printed.</summary>
public static class ProcessReadiness
{
    /// <summary>
    /// Starts <paramref name="process"/> (stdout and stderr redirected) and returns a task that completes when a stdout
    /// line contains <paramref name="readyMarker"/>, or fails with the output when the process exits first.
    /// </summary>
    public static Task Start(Process process, ConcurrentQueue<string> output, string readyMarker, string name)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                // WaitForExit also drains stderr, so the failure message carries the process's own explanation.
                _ = Task.Run(() =>
                {
                    process.WaitForExit();
                    ready.TrySetException(new InvalidOperationException($"{name} exited before it was ready:\n" + string.Join("\n", output)));
                });
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains(readyMarker, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue("stderr: " + e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return ready.Task;
    }
}
