namespace TdmEdu.Fees.Api.Cli;

/// <summary>The command line is wrong: unknown command or option, a missing or malformed value. Exit 1.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Positional words and --options of one command, checked against what the command accepts.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Args(IReadOnlyList<string> words)
    {
        var positional = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (w.StartsWith("--", StringComparison.Ordinal) && w.Length > 2)
            {
                var eq = w.IndexOf('=');
                if (eq > 0) { Set(w[..eq], w[(eq + 1)..]); continue; }
                if (i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal)) { Set(w, words[++i]); continue; }
                Set(w, null);
            }
            else positional.Add(w);
        }
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    private void Set(string key, string? value)
    {
        if (!_options.TryAdd(key, value)) throw new UsageException($"{key} is given twice.");
    }

    public string? Optional(string key)
    {
        _used.Add(key);
        if (!_options.TryGetValue(key, out var v)) return null;
        return v ?? throw new UsageException($"{key} needs a value.");
    }

    public string Required(string key) => Optional(key) ?? throw new UsageException($"{key} is required.");

    /// <summary>A flag such as --dry-run. A flag swallows no value, so a word after it is positional.</summary>
    public bool Flag(string key)
    {
        _used.Add(key);
        if (!_options.TryGetValue(key, out var v)) return false;
        return v is null ? true : throw new UsageException($"{key} takes no value (\"{v}\" was given).");
    }

    public long? Long(string key)
    {
        var v = Optional(key);
        if (v is null) return null;
        var parsed = Files.Values.ParseAmount(v, out var why);
        return parsed ?? throw new UsageException($"{key}: {why}");
    }

    public int? Int(string key)
    {
        var v = Optional(key);
        if (v is null) return null;
        return int.TryParse(v, out var n) && n >= 0 ? n : throw new UsageException($"{key}: \"{v}\" is not a whole number.");
    }

    /// <summary>Refuses options the command did not ask about, so a typo never passes silently.</summary>
    public void NoOthers(int maxPositional)
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option {string.Join(", ", unknown)}.");
        if (Positional.Count > maxPositional) throw new UsageException($"unexpected word \"{Positional[maxPositional]}\".");
    }
}
