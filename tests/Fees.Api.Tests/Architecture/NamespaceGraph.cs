using Mono.Cecil;

namespace TdmEdu.Fees.Api.Tests.Architecture;

/// <summary>
/// Which folder of an assembly uses which, read from the compiled code: signatures, attributes and method
/// bodies (a lambda or an async method is a nested type of the one that wrote it). A node is a namespace cut
/// to a depth below a root, so <c>TdmEdu.Fees.Api.Pages.School</c> counts as <c>Pages</c> with depth 1.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    public string Root { get; }

    private NamespaceGraph(string root) => Root = root;

    /// <summary>The folders used by <paramref name="from"/>, each with one type that shows the use.</summary>
    public IReadOnlyDictionary<string, string> UsesOf(string from) =>
        _edges.TryGetValue(from, out var to) ? to : new Dictionary<string, string>();

    public IEnumerable<string> Nodes => _edges.Keys.Concat(_edges.Values.SelectMany(v => v.Keys)).Distinct().Order(StringComparer.Ordinal);

    /// <summary>Reads an assembly; only namespaces under <paramref name="root"/> count, cut to <paramref name="depth"/> parts below it.</summary>
    public static NamespaceGraph Read(string assemblyPath, string root, Func<string, int> depth)
    {
        var graph = new NamespaceGraph(root);
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            var from = graph.Node(OuterNamespace(type), depth);
            if (from is null) continue;
            foreach (var used in Referenced(type))
            {
                var to = graph.Node(OuterNamespace(used), depth);
                if (to is not null && to != from) graph.Add(from, to, $"{Outer(type).FullName} → {Outer(used).FullName}");
            }
        }
        return graph;
    }

    /// <summary>Every path that leaves a folder and comes back to it, as "A → B → A".</summary>
    public IReadOnlyList<string> Cycles()
    {
        var found = new List<string>();
        var nodes = Nodes.ToList();
        foreach (var start in nodes)
        {
            // Breadth-first from each node back to itself; report the shortest loop once (from its smallest node).
            var previous = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<string>();
            foreach (var n in UsesOf(start).Keys) if (previous.TryAdd(n, start)) queue.Enqueue(n);
            while (queue.Count > 0)
            {
                var at = queue.Dequeue();
                if (at == start)
                {
                    var path = new List<string> { start };
                    for (var p = previous[start]; p != start; p = previous[p]) path.Insert(0, p);
                    path.Insert(0, start);
                    if (path.Skip(1).All(n => string.CompareOrdinal(start, n) <= 0)) found.Add(string.Join(" → ", path));
                    break;
                }
                foreach (var n in UsesOf(at).Keys) if (previous.TryAdd(n, at)) queue.Enqueue(n);
            }
        }
        return found;
    }

    private string? Node(string ns, Func<string, int> depth)
    {
        if (ns != Root && !ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        var parts = ns == Root ? [] : ns[(Root.Length + 1)..].Split('.');
        if (parts.Length == 0) return "(root)";
        var keep = Math.Min(parts.Length, Math.Max(1, depth(parts[0])));
        return string.Join('.', parts.Take(keep));
    }

    private void Add(string from, string to, string example)
    {
        if (!_edges.TryGetValue(from, out var to2)) _edges[from] = to2 = new Dictionary<string, string>(StringComparer.Ordinal);
        to2.TryAdd(to, example);
    }

    private static TypeReference Outer(TypeReference t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t;
    }

    private static string OuterNamespace(TypeReference t) => Outer(t).Namespace;

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null: return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments) Add(a);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                case GenericParameter: return;
                default: found.Add(t); return;
            }
        }
        void Attributes(ICustomAttributeProvider p)
        {
            foreach (var a in p.CustomAttributes) Add(a.AttributeType);
        }

        Add(type.BaseType);
        Attributes(type);
        foreach (var i in type.Interfaces) Add(i.InterfaceType);
        foreach (var f in type.Fields) { Add(f.FieldType); Attributes(f); }
        foreach (var p in type.Properties) { Add(p.PropertyType); Attributes(p); }
        foreach (var m in type.Methods)
        {
            Attributes(m);
            Add(m.ReturnType);
            foreach (var p in m.Parameters) Add(p.ParameterType);
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) Add(v.VariableType);
            foreach (var ins in m.Body.Instructions)
            {
                switch (ins.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MethodReference r:
                        Add(r.DeclaringType);
                        Add(r.ReturnType);
                        foreach (var p in r.Parameters) Add(p.ParameterType);
                        if (r is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
                        break;
                    case FieldReference f: Add(f.DeclaringType); Add(f.FieldType); break;
                }
            }
        }
        return found;
    }
}
