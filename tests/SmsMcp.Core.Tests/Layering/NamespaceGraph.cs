namespace SmsMcp.Core.Tests.Layering;

/// <summary>
/// Which feature namespace of SmsMcp.Core uses which, each edge with one piece of evidence (a type or a file) so that a
/// failure says where to look. A feature is the segment after <c>SmsMcp.Core.</c>: Watchdog.Detectors counts as Watchdog.
/// </summary>
internal sealed class NamespaceGraph
{
    private const string Prefix = "SmsMcp.Core.";

    private readonly SortedDictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);

    /// <summary>The feature a namespace belongs to, or null outside SmsMcp.Core's features.</summary>
    public static string? FeatureOf(string ns) => ns.StartsWith(Prefix, StringComparison.Ordinal) ? ns[Prefix.Length..].Split('.')[0] : null;

    public void Add(string from, string to, string evidence)
    {
        if (from == to)
        {
            return;
        }

        Targets(from).TryAdd(to, evidence);
        Targets(to);
    }

    public bool HasEdge(string from, string to) => _edges.TryGetValue(from, out var targets) && targets.ContainsKey(to);

    public NamespaceGraph Union(NamespaceGraph other)
    {
        var union = new NamespaceGraph();
        foreach (var graph in new[] { this, other })
        {
            foreach (var (from, targets) in graph._edges)
            {
                union.Targets(from);
                foreach (var (to, evidence) in targets)
                {
                    union.Add(from, to, evidence);
                }
            }
        }

        return union;
    }

    /// <summary>
    /// The strongly connected components of more than one feature (Tarjan): each holds at least one cycle, and the graph
    /// is layered exactly when there are none.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in _edges[node].Keys)
            {
                if (!index.TryGetValue(next, out var visited))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], visited);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    components.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var node in _edges.Keys.Where(n => !index.ContainsKey(n)).ToList())
        {
            Visit(node);
        }

        return components;
    }

    /// <summary>The edges inside <paramref name="component"/>, one a line, with their evidence.</summary>
    public string Describe(IReadOnlyList<string> component) => string.Join('\n',
        from f in component
        from edge in _edges[f]
        where component.Contains(edge.Key)
        select $"  {f} → {edge.Key}: {edge.Value}");

    private SortedDictionary<string, string> Targets(string from)
    {
        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new(StringComparer.Ordinal);
        }

        return targets;
    }
}
