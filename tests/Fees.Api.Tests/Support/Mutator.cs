using System.Globalization;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Randomly mutated copies of a valid input (fuzzing): bits flipped, bytes replaced by ones parsers care about,
/// ranges deleted, doubled or swapped, junk inserted, the end cut off. Seeded, so a failing case is named by its
/// seed and index and can be replayed. `./fees test` runs a bounded number of cases; FEES_FUZZ_CASES runs more
/// (docs/benchmarks.md, "Hostile input").
/// </summary>
public static class Mutator
{
    public static int Cases(int inTestRun) =>
        Environment.GetEnvironmentVariable("FEES_FUZZ_CASES") is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : inTestRun;

    private static readonly byte[] Interesting = "\0\xff<>\"':;,/\\\n\r\t-+.09eE{}[]&%#@ \u00c3\u00a1"u8.ToArray();

    public static IEnumerable<(int Index, byte[] Bytes)> Mutants(byte[] seed, int count, int rngSeed)
    {
        var rng = new Random(rngSeed);
        for (var i = 0; i < count; i++)
        {
            var b = new List<byte>(seed);
            var steps = rng.Next(1, 5);
            for (var s = 0; s < steps; s++) Mutate(b, rng);
            yield return (i, b.ToArray());
        }
    }

    public static IEnumerable<(int Index, string Text)> Mutants(string seed, int count, int rngSeed) =>
        Mutants(System.Text.Encoding.UTF8.GetBytes(seed), count, rngSeed).Select(m => (m.Index, System.Text.Encoding.UTF8.GetString(m.Bytes)));

    private static void Mutate(List<byte> b, Random rng)
    {
        if (b.Count == 0) { b.Add(Interesting[rng.Next(Interesting.Length)]); return; }
        var at = rng.Next(b.Count);
        var len = Math.Min(b.Count - at, rng.Next(1, 64));
        switch (rng.Next(8))
        {
            case 0: b[at] ^= (byte)(1 << rng.Next(8)); break;
            case 1: b[at] = Interesting[rng.Next(Interesting.Length)]; break;
            case 2: b.RemoveRange(at, len); break;
            case 3: b.InsertRange(at, b.GetRange(at, len)); break;
            case 4:
                var junk = new byte[rng.Next(1, 16)];
                rng.NextBytes(junk);
                b.InsertRange(at, junk);
                break;
            case 5: b.RemoveRange(at, b.Count - at); break;
            case 6:
                var other = rng.Next(b.Count);
                (b[at], b[other]) = (b[other], b[at]);
                break;
            default:
                // A digit run made longer: amounts and dates beyond their bounds.
                b.InsertRange(at, Enumerable.Repeat((byte)'9', rng.Next(1, 30)));
                break;
        }
    }
}
