using System.Diagnostics;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Ha;

/// <summary>
/// The HA cluster's archive_command (scripts/wal-archive), on files shaped as PostgreSQL writes them (16 MB segments
/// named timeline/log/segment, history files "parent timeline, position where it ended, reason").
/// Seen in the full-city failover drill: the killed primary, back as a standby, archived its copy of the segment in
/// which timeline 1 ended; that copy went on past the fork with the old primary's own WAL; the asynchronous standby
/// restored it, replayed past the fork and could never follow the new primary.
/// </summary>
public sealed class WalArchiveTests : IDisposable
{
    private const long Segment = 16 * 1024 * 1024;
    private readonly string _root = Directory.CreateTempSubdirectory("wal-archive-").FullName;

    private string Wal => Directory.CreateDirectory(Path.Combine(_root, "pg_wal")).FullName;
    private string Archive => Directory.CreateDirectory(Path.Combine(_root, "archive")).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A segment (sparse, 16 MB) whose first bytes say whose copy it is.</summary>
    private string SegmentFile(string name, string content)
    {
        var path = Path.Combine(Wal, name);
        using var f = new FileStream(path, FileMode.Create);
        f.Write(System.Text.Encoding.ASCII.GetBytes(content));
        f.SetLength(Segment);
        return path;
    }

    private void History(string folder, int timeline, params string[] lines) =>
        File.WriteAllText(Path.Combine(folder, $"{timeline:X8}.history"), string.Join('\n', lines) + "\n");

    private async Task<(int Code, string Error)> OfferAsync(string name)
    {
        var psi = new ProcessStartInfo(HaCluster.Script("wal-archive")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Archive, Path.Combine(Wal, name), name }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await error);
    }

    private string? Archived(string name) => File.Exists(Path.Combine(Archive, name)) ? File.ReadAllText(Path.Combine(Archive, name))[..12] : null;

    [Fact]
    public async Task TheSegmentInWhichTheTimelineEnded_IsNotArchivedUnderItsPlainName_WhenAHistoryBesideItSaysSo()
    {
        // The killed primary, back as a standby: timeline 2's history (fetched from the new primary) is in its pg_wal.
        History(Wal, 2, "1\t0/22E04480\tno recovery target specified");
        SegmentFile("000000010000000000000022", "old-primary-");

        var (code, error) = await OfferAsync("000000010000000000000022");

        Assert.Equal(0, code); // marked done, so the node recycles it instead of offering it for ever
        Assert.Null(Archived("000000010000000000000022"));
        Assert.Contains("timeline 1 ended at 0/22E04480", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHistoryAlreadyInTheArchive_IsEnough_AndLaterSegmentsOfTheEndedTimelineAreLeftOutToo()
    {
        History(Archive, 2, "1\t0/22E04480\tno recovery target specified");
        SegmentFile("000000010000000000000022", "old-primary-");
        SegmentFile("000000010000000000000023", "old-primary-"); // a whole segment past the fork, never acknowledged

        Assert.Equal(0, (await OfferAsync("000000010000000000000022")).Code);
        Assert.Equal(0, (await OfferAsync("000000010000000000000023")).Code);

        Assert.Null(Archived("000000010000000000000022"));
        Assert.Null(Archived("000000010000000000000023"));
    }

    [Fact]
    public async Task SegmentsOnTheHistory_TheNewTimelinesSegment_ThePartialAndTheHistoryFile_AreArchived()
    {
        History(Wal, 2, "1\t0/22E04480\tno recovery target specified");
        SegmentFile("000000010000000000000021", "before-fork-");        // wholly before the fork: shared history
        SegmentFile("000000020000000000000022", "new-timeline");        // the promoted node's segment: starts with the common part
        SegmentFile("000000010000000000000022.partial", "promoted-tl1"); // what the promoted node keeps of timeline 1

        foreach (var name in new[] { "000000010000000000000021", "000000020000000000000022", "000000010000000000000022.partial", "00000002.history" })
            Assert.Equal((0, ""), await OfferAsync(name));

        Assert.Equal("before-fork-", Archived("000000010000000000000021"));
        Assert.Equal("new-timeline", Archived("000000020000000000000022"));
        Assert.Equal("promoted-tl1", Archived("000000010000000000000022.partial"));
        Assert.StartsWith("1\t0/22E04480", File.ReadAllText(Path.Combine(Archive, "00000002.history")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATimelineEndingExactlyAtASegmentsEnd_KeepsThatSegment_AndAGrandchildsHistoryCountsForTheMiddleTimeline()
    {
        History(Wal, 3, "1\t0/23000000\tno recovery target specified", "2\t0/30000100\tno recovery target specified");
        SegmentFile("000000010000000000000022", "tl1-complete"); // ends at 0/23000000: all of it is history
        SegmentFile("000000020000000000000030", "tl2-fork-seg");
        SegmentFile("00000002000000000000002F", "tl2-before--");

        Assert.Equal(0, (await OfferAsync("000000010000000000000022")).Code);
        Assert.Equal(0, (await OfferAsync("000000020000000000000030")).Code);
        Assert.Equal(0, (await OfferAsync("00000002000000000000002F")).Code);

        Assert.Equal("tl1-complete", Archived("000000010000000000000022"));
        Assert.Null(Archived("000000020000000000000030"));
        Assert.Equal("tl2-before--", Archived("00000002000000000000002F"));
    }

    [Fact]
    public async Task AnAbandonedTimelinesHistory_DoesNotLeaveOutASegmentTheLiveTimelineNeeds()
    {
        // Timeline 2 forked from 1 early in segment 22 and was abandoned; timeline 3, where the cluster went on, forked
        // from 1 in segment 23, so its history holds all of timeline 1's segment 22. Only the newest history counts.
        History(Archive, 2, "1\t0/22000100\tno recovery target specified");
        History(Archive, 3, "1\t0/23000100\tno recovery target specified");
        SegmentFile("000000010000000000000022", "tl1-needed--");
        SegmentFile("000000010000000000000023", "tl1-fork-seg");

        Assert.Equal((0, ""), await OfferAsync("000000010000000000000022"));
        Assert.Equal(0, (await OfferAsync("000000010000000000000023")).Code);

        Assert.Equal("tl1-needed--", Archived("000000010000000000000022"));
        Assert.Null(Archived("000000010000000000000023"));
    }

    [Fact]
    public async Task NodesOfferingOneNameAtOnce_LeaveOneWholeFile_AndTheOneWithOtherContentIsRefused()
    {
        // Every node archives (archive_mode "always"): two offering the same name at the same moment must not let the
        // second rename replace the first's file unchecked.
        var copies = Enumerable.Range(0, 8).Select(i => SegmentFile($"copy{i}", i == 7 ? "other-copy--" : "same-copy---")).ToList();
        var runs = copies.Select(async path =>
        {
            var psi = new ProcessStartInfo(HaCluster.Script("wal-archive")) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { Archive, path, "000000010000000000000040" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var error = p.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (Path.GetFileName(path), p.ExitCode, await error);
        }).ToList();
        var results = await Task.WhenAll(runs);

        var archived = Archived("000000010000000000000040");
        Assert.NotNull(archived);
        // Whichever copy got there first is kept; every offer of different content is refused, every identical one accepted.
        foreach (var (name, code, _) in results)
            Assert.Equal(archived == (name == "copy7" ? "other-copy--" : "same-copy---") ? 0 : 1, code);
        Assert.Single(Directory.GetFiles(Archive)); // no temporary file left behind
    }

    [Fact]
    public async Task WithoutAnEndedTimeline_TheSegmentIsArchived_AgainIdenticalIsFine_AndAnotherCopyIsRefusedUnchanged()
    {
        // Negative control: the same segment as in the first test, no history file: archived as before.
        SegmentFile("000000010000000000000022", "old-primary-");
        Assert.Equal((0, ""), await OfferAsync("000000010000000000000022"));
        Assert.Equal("old-primary-", Archived("000000010000000000000022"));

        Assert.Equal((0, ""), await OfferAsync("000000010000000000000022"));

        SegmentFile("000000010000000000000022", "another-copy");
        var (code, error) = await OfferAsync("000000010000000000000022");
        Assert.Equal(1, code);
        Assert.Contains("already exists with other content", error, StringComparison.Ordinal);
        Assert.Equal("old-primary-", Archived("000000010000000000000022"));
        Assert.Single(Directory.GetFiles(Archive)); // no temporary file left behind
    }
}
