package org.linearicl.pipeline.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.run.Inspector;
import org.linearicl.pipeline.run.Runner;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.PipelineSpec;
import org.linearicl.pipeline.spec.SpecException;
import org.linearicl.pipeline.spec.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dag}: the stages of a profile and their edges as a picture (DOT or Mermaid). */
@Command(name = "dag", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the graph of a profile's stages as DOT or Mermaid.",
        "Prints the stages (after expansion) and an edge from every stage to each stage that"
            + " needs it: solid for needs, dashed for optional_needs (the warm starts); stages"
            + " cached under --cache-dir are filled grey. --collapse draws each foreach"
            + " declaration as one node. Render with 'dot -Tsvg' (Graphviz) or any Mermaid"
            + " viewer (GitHub renders a ```mermaid block)."})
public final class DagCommand implements Callable<Integer> {
  private static final String LEGEND = ": an edge from each stage to the stages that need it;"
      + " dashed: optional_needs; grey: cached";

  /** The output languages. */
  enum Format { dot, mermaid }

  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Mixin StageSelection stages;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot",
      description = "dot or mermaid (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--collapse",
      description = "One node per stage declaration (a foreach group), labelled with its name"
          + " template and its number of stages.")
  boolean collapse;

  /**
   * One node of the picture: a stage, or a collapsed group of stages; {@code internal} says that
   * stages of the group need others of it (drawn in the label, not as an edge to itself).
   */
  record Node(String label, int stages, boolean cached, boolean internal) {}

  /** An edge from the upstream node to the node that needs it. */
  record Edge(String from, String to, boolean optional) {}

  /** The picture: nodes in declaration order, edges in the order of each node's needs. */
  record Graph(String title, Map<String, Node> nodes, List<Edge> edges) {}

  @Override
  public Integer call() throws IOException {
    Pipeline p = common.load(spec, stages.profile.name);
    List<Stage> selected = p.select(stages.targets);
    Set<String> cached = new HashSet<>();
    Inspector.inspect(selected, common.store(), Set.of()).values().forEach(s -> {
      if (s.fresh()) {
        cached.add(s.stage().name());
      }
    });
    String text = Files.readString(common.file, StandardCharsets.UTF_8);
    Set<List<String>> required = requiredEdges(text, p);
    Graph g = graph(p, selected, cached, required, collapse ? templates(text) : null);
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == Format.dot ? dot(g) : mermaid(g));
    out.flush();
    return 0;
  }

  /**
   * The graph of {@code selected}: a stage's needs in {@code required} (as [upstream, stage])
   * are solid, the others come from optional_needs only. With {@code templates} (the name
   * template of each declaration by its location in the file), stages of one declaration are one
   * node; an edge between two groups is optional only when all its stage edges are.
   */
  static Graph graph(Pipeline p, List<Stage> selected, Set<String> cached,
      Set<List<String>> required, Map<String, String> templates) {
    Set<String> names = new HashSet<>();
    selected.forEach(s -> names.add(s.name()));
    Map<String, String> nodeOf = new HashMap<>();
    Map<String, List<Stage>> members = new LinkedHashMap<>();
    for (Stage s : p.stages().values()) { // declaration order
      if (!names.contains(s.name())) {
        continue;
      }
      String node = templates == null ? s.name()
          : templates.getOrDefault(where(s.location()), s.name());
      nodeOf.put(s.name(), node);
      members.computeIfAbsent(node, k -> new ArrayList<>()).add(s);
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<List<String>, Boolean> optional = new LinkedHashMap<>();
    members.forEach((node, ss) -> {
      boolean internal = false;
      for (Stage s : ss) {
        for (String u : s.needs()) {
          if (nodeOf.get(u).equals(node)) {
            internal = true; // a stage of the group needs another: no edge to the node itself
            continue;
          }
          boolean opt = !required.contains(List.of(u, s.name()));
          optional.merge(List.of(nodeOf.get(u), node), opt, Boolean::logicalAnd);
        }
      }
      nodes.put(node, new Node(node, ss.size(),
          ss.stream().allMatch(s -> cached.contains(s.name())), internal));
    });
    List<Edge> edges = new ArrayList<>();
    optional.forEach((e, opt) -> edges.add(new Edge(e.get(0), e.get(1), opt)));
    return new Graph(p.file() + ", profile " + p.profile(), nodes, edges);
  }

  /**
   * The edges [upstream, stage] that {@code needs} entries declare, as opposed to
   * {@code optional_needs} ones: the edges of the same file expanded without its optional_needs
   * (expansion is PipelineSpec's alone, so the file is not interpreted a second way here).
   */
  static Set<List<String>> requiredEdges(String text, Pipeline p) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    JsonNode root = yaml.readTree(text);
    if (root != null && root.get("stages") instanceof ObjectNode stages) {
      stages.forEach(d -> {
        if (d instanceof ObjectNode o) {
          o.remove("optional_needs");
        }
      });
    }
    Pipeline without;
    try {
      without = PipelineSpec.parse(yaml.writeValueAsString(root), p.file(),
          PipelineOptions.kinds.get()).expand(p.profile());
    } catch (SpecException e) { // cannot happen for a valid file: fewer edges, same stages
      throw new IllegalStateException("the pipeline without its optional_needs: " + e, e);
    }
    Set<List<String>> out = new HashSet<>();
    without.stages().values().forEach(s -> s.needs().forEach(u -> out.add(List.of(u,
        s.name()))));
    return out;
  }

  /** The name template of every stage declaration, by the location of its key in the file. */
  static Map<String, String> templates(String text) throws IOException {
    Map<String, String> out = new HashMap<>();
    // parsed as PipelineSpec parses it (from the text), so the locations are the stages' own
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        boolean stages = parser.nextToken() == JsonToken.START_OBJECT && key.equals("stages");
        if (!stages) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          out.put(where(parser.currentTokenLocation()), parser.currentName());
          parser.nextToken();
          parser.skipChildren();
        }
      }
    }
    return out;
  }

  private static String where(JsonLocation l) {
    return l == null ? "" : l.getLineNr() + ":" + l.getColumnNr();
  }

  private static String label(Node n) {
    return n.stages() == 1 ? n.label() : n.label() + " (" + n.stages() + " stages"
        + (n.internal() ? ", some needing others of the group" : "") + ")";
  }

  /** Graphviz DOT: {@code dot -Tsvg}. */
  static String dot(Graph g) {
    StringBuilder sb = new StringBuilder();
    sb.append("// ").append(g.title()).append(LEGEND).append('\n');
    sb.append("digraph pipeline {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
    for (Node n : g.nodes().values()) {
      sb.append("  ").append(dotId(n.label()));
      if (n.stages() > 1 || n.cached()) {
        List<String> attrs = new ArrayList<>();
        if (n.stages() > 1) {
          attrs.add("label=" + dotId(label(n)));
        }
        if (n.cached()) {
          attrs.add("style=filled, fillcolor=gray85");
        }
        sb.append(" [").append(String.join(", ", attrs)).append(']');
      }
      sb.append(";\n");
    }
    for (Edge e : g.edges()) {
      sb.append("  ").append(dotId(e.from())).append(" -> ").append(dotId(e.to()))
          .append(e.optional() ? " [style=dashed]" : "").append(";\n");
    }
    return sb.append("}\n").toString();
  }

  private static String dotId(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Mermaid flowchart; node ids are n0, n1, ... (stage names are not valid ids). */
  static String mermaid(Graph g) {
    Map<String, String> id = new HashMap<>();
    StringBuilder sb = new StringBuilder();
    sb.append("%% ").append(g.title()).append(LEGEND).append('\n');
    sb.append("flowchart LR\n");
    List<String> cached = new ArrayList<>();
    for (Node n : g.nodes().values()) {
      String i = "n" + id.size();
      id.put(n.label(), i);
      sb.append("  ").append(i).append("[\"").append(label(n).replace("\"", "#quot;"))
          .append("\"]\n");
      if (n.cached()) {
        cached.add(i);
      }
    }
    for (Edge e : g.edges()) {
      sb.append("  ").append(id.get(e.from())).append(e.optional() ? " -.-> " : " --> ")
          .append(id.get(e.to())).append('\n');
    }
    if (!cached.isEmpty()) {
      sb.append("  classDef cached fill:#d9d9d9\n");
      sb.append("  class ").append(String.join(",", cached)).append(" cached\n");
    }
    return sb.toString();
  }
}
