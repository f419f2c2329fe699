using System.Runtime.CompilerServices;

namespace SmsMcp.Core.Phone;

/// <summary>
/// Starts loading libphonenumber's metadata (about half a second of XML parsing on a cold process) on a background
/// thread, so it overlaps the host's own start-up instead of following it. Nothing is weakened: the start-up policy
/// check and every request use the same, complete metadata, and whoever needs it first waits until the one load has
/// finished (a type initializer runs once; others block on it). A load that fails fails there again, closed.
/// </summary>
public static class PhoneMetadataWarmUp
{
    /// <summary>Call first thing in a host's entry point; returns at once.</summary>
    public static void Start() =>
        _ = Task.Run(() => RuntimeHelpers.RunClassConstructor(typeof(PhoneMetadata).TypeHandle));
}
