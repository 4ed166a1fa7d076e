using System.Diagnostics;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Ha;

/// <summary>
/// The HA cluster's restore_command (scripts/wal-restore). Found by review: under load the old primary can finish and
/// archive a segment that goes past what the standby it lost to had received, before any history file says where its
/// timeline ended, so the archive command cannot keep it out; a standby that restored it would replay past the fork.
/// </summary>
public sealed class WalRestoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wal-restore-").FullName;

    private string Archive => Directory.CreateDirectory(Path.Combine(_root, "archive")).FullName;
    private string Wal => Directory.CreateDirectory(Path.Combine(_root, "pg_wal")).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Archived(string name, string content)
    {
        using var f = new FileStream(Path.Combine(Archive, name), FileMode.Create);
        f.Write(System.Text.Encoding.ASCII.GetBytes(content));
        if (!name.EndsWith(".history", StringComparison.Ordinal)) f.SetLength(16 * 1024 * 1024);
    }

    private async Task<(int Code, string Error, string? Restored)> RestoreAsync(string name)
    {
        var into = Path.Combine(Wal, "RECOVERYXLOG");
        File.Delete(into);
        var psi = new ProcessStartInfo(HaCluster.Script("wal-restore")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Archive, name, into }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await error, File.Exists(into) ? File.ReadAllText(into)[..12] : null);
    }

    [Fact]
    public async Task ASegmentArchivedBeforeTheForkWasKnown_IsNotHandedOut_OnceAHistorySaysItsTimelineEndedWithinIt()
    {
        Archived("000000010000000000000022", "old-primary-");
        Archived("00000002.history", "1\t0/22E04480\tno recovery target specified\n");

        var (code, error, restored) = await RestoreAsync("000000010000000000000022");

        Assert.Equal(1, code); // as if it were not there: the standby streams that part from the new primary
        Assert.Null(restored);
        Assert.Contains("timeline 1 ended at 0/22E04480", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIsOnTheHistory_IsHandedOut_AndAMissingFileIsAnOrdinaryNo()
    {
        Archived("00000002.history", "1\t0/22E04480\tno recovery target specified\n");
        Archived("000000010000000000000021", "before-fork-");
        Archived("000000020000000000000022", "new-timeline");

        Assert.Equal((0, "", "before-fork-"), await RestoreAsync("000000010000000000000021"));
        Assert.Equal((0, "", "new-timeline"), await RestoreAsync("000000020000000000000022"));
        Assert.Equal((0, "", "1\t0/22E04480"), await RestoreAsync("00000002.history"));
        Assert.Equal((1, "", null), await RestoreAsync("000000020000000000000023"));
    }

    [Fact]
    public async Task WithoutAHistory_TheSameSegmentIsHandedOut()
    {
        // Negative control: the segment of the first test, no history file: restored as before.
        Archived("000000010000000000000022", "old-primary-");
        Assert.Equal((0, "", "old-primary-"), await RestoreAsync("000000010000000000000022"));
    }
}
