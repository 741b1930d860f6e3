package org.linearicl.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.linearicl.analysis.table.PublishedTable1;
import org.linearicl.analysis.table.PublishedTable1.Verdict;
import org.linearicl.experiments.artifacts.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code diff RESULTS_A RESULTS_B} (or {@code diff RESULTS --paper}): Table 1 of two published
 * results directories cell by cell, as {@code dvc metrics diff} compares two runs' metrics: each
 * cell's value in both, the difference in standard errors (of the difference, sqrt(se_a^2 +
 * se_b^2); against the paper, whose values carry none, in ours), and each cell's verdict against
 * the paper in both ({@link Verdict}: match, within 10% and 3 SE; off; fragile, a few sequences
 * decide it), with the cells whose verdict changed. Reads {@code tables/table1_comparison.csv}
 * and {@code tables/table1_se.csv}, which the table1 stage publishes ({@link PublishedTable1}).
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compares Table 1 of two results directories (or one with the paper) cell by"
        + " cell: the difference in standard errors and the cells that changed verdict.",
        "e.g. 'diff results/quick results/full', 'diff results/full --paper --format csv'."})
public final class DiffCommand implements Callable<Integer> {
  static final String COMPARISON = PublishedTable1.COMPARISON_FILE;
  static final String SE = PublishedTable1.SE_FILE;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RESULTS", arity = "1..2",
      description = "One results directory with --paper, else two (results/<profile>).")
  List<Path> dirs;

  @Option(names = "--paper", description = "Compare the one directory with the paper's Table 1.")
  boolean paper;

  @Option(names = "--format", paramLabel = "md|csv|json", defaultValue = "md",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  /** One cell of Table 1 as one results directory has it. */
  record Cell(String model, String layers, String setting, double value, double se,
      double paper, Verdict verdict) {}

  /** One row of the comparison: a cell in A (null when absent) and in B. */
  record Row(String model, String layers, String setting, Cell a, Cell b) {
    double difference() {
      return a == null || b == null ? Double.NaN : b.value() - a.value();
    }

    double inSe() {
      double d = difference();
      double s = Math.sqrt(sq(a == null ? Double.NaN : a.se()) + sq(b == null ? Double.NaN
          : b.se()));
      return d == 0 ? 0 : d / s;
    }

    boolean changed() {
      return a != null && b != null && a.verdict() != b.verdict();
    }
  }

  @Override
  public Integer call() throws IOException {
    if (!List.of("md", "csv", "json").contains(format)) {
      throw new UserError("--format '" + format + "': expected md, csv or json");
    }
    if (paper != (dirs.size() == 1)) {
      throw new UserError(paper ? "--paper compares one results directory with the paper, got "
          + dirs.size() + "; expected 'diff RESULTS --paper'"
          : "diff: one results directory given; expected two (RESULTS_A RESULTS_B) or --paper");
    }
    Map<String, Cell> a = read(dirs.get(0), "RESULTS_A");
    Map<String, Cell> b;
    String nameA = dirs.get(0).toString();
    String nameB;
    if (paper) {
      // the paper as side A, ours as side B: the difference is ours - paper, in our SE
      b = a;
      a = new LinkedHashMap<>();
      for (Map.Entry<String, Cell> e : b.entrySet()) {
        Cell c = e.getValue();
        a.put(e.getKey(), new Cell(c.model(), c.layers(), c.setting(), c.paper(), 0, c.paper(),
            Verdict.MATCH));
      }
      nameB = nameA;
      nameA = "paper";
    } else {
      b = read(dirs.get(1), "RESULTS_B");
      nameB = dirs.get(1).toString();
    }
    Set<String> keys = new LinkedHashSet<>(a.keySet());
    keys.addAll(b.keySet());
    List<Row> rows = new ArrayList<>();
    for (String k : keys) {
      Cell ca = a.get(k);
      Cell cb = b.get(k);
      Cell any = ca != null ? ca : cb;
      rows.add(new Row(any.model(), any.layers(), any.setting(), ca, cb));
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case "csv" -> csv(out, rows, nameA, nameB);
      case "json" -> json(out, rows, nameA, nameB);
      default -> markdown(out, rows, nameA, nameB);
    }
    out.flush();
    return 0;
  }

  /** The cells of a results directory by "model|layers|setting", in the file's order. */
  static Map<String, Cell> read(Path dir, String what) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserError(what + " " + dir + ": " + (Files.exists(dir) ? "is a file" : "no such"
          + " directory") + "; expected a results directory such as results/ci");
    }
    Path comparison = dir.resolve(COMPARISON);
    Path se = dir.resolve(SE);
    if (!Files.isRegularFile(comparison) || !Files.isRegularFile(se)) {
      throw new UserError(what + " " + dir + ": no " + (Files.isRegularFile(comparison) ? SE
          : COMPARISON) + "; expected a results directory the table1 stage published into"
          + " (results/<profile>)");
    }
    Map<String, Double> ses = read(se, what, PublishedTable1::standardErrors);
    Map<String, Cell> out = new LinkedHashMap<>();
    for (PublishedTable1.Compared r : read(comparison, what, PublishedTable1::comparison)) {
      Double s = ses.get(r.key());
      out.put(r.key(), new Cell(r.model(), r.layers(), r.setting(), r.ours(),
          s == null ? Double.NaN : s, r.paper(), r.verdict()));
    }
    return out;
  }

  /** A published table parsed by {@code parser}; a malformed one is a user error naming it. */
  private static <T> T read(Path file, String what, Function<String, T> parser)
      throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(what + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static double sq(double x) {
    return x * x;
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "" : Double.toString(x);
  }

  private static String shortNum(double x) {
    if (Double.isNaN(x)) {
      return "";
    }
    return x == 0 ? "0" : String.format(Locale.ROOT, Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4
        ? "%.4g" : "%.3e", x);
  }

  private static String verdict(Cell c) {
    return c == null ? "absent" : c.verdict().text();
  }

  private static void csv(PrintWriter out, List<Row> rows, String a, String b) {
    out.println("model,layers,setting,a,se_a,b,se_b,difference,diff/SE,verdict_a,verdict_b,"
        + "changed");
    for (Row r : rows) {
      out.println(String.join(",", r.model(), r.layers(), "\"" + r.setting() + "\"",
          r.a() == null ? "" : num(r.a().value()), r.a() == null ? "" : num(r.a().se()),
          r.b() == null ? "" : num(r.b().value()), r.b() == null ? "" : num(r.b().se()),
          num(r.difference()), num(r.inSe()), verdict(r.a()), verdict(r.b()),
          r.changed() ? "yes" : ""));
    }
  }

  private static void json(PrintWriter out, List<Row> rows, String a, String b) {
    ObjectNode o = Json.TREES.createObjectNode();
    o.put("a", a);
    o.put("b", b);
    ArrayNode cells = o.putArray("cells");
    int changed = 0;
    for (Row r : rows) {
      ObjectNode c = cells.addObject();
      c.put("model", r.model());
      c.put("layers", r.layers());
      c.put("setting", r.setting());
      put(c, "a", r.a() == null ? Double.NaN : r.a().value());
      put(c, "se_a", r.a() == null ? Double.NaN : r.a().se());
      put(c, "b", r.b() == null ? Double.NaN : r.b().value());
      put(c, "se_b", r.b() == null ? Double.NaN : r.b().se());
      put(c, "difference", r.difference());
      put(c, "diff_se", r.inSe());
      c.put("verdict_a", verdict(r.a()));
      c.put("verdict_b", verdict(r.b()));
      c.put("changed", r.changed());
      changed += r.changed() ? 1 : 0;
    }
    o.put("changed", changed);
    out.println(o.toString());
  }

  private static void put(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  private static void markdown(PrintWriter out, List<Row> rows, String a, String b) {
    out.println("# Table 1: " + b + " against " + a);
    out.println();
    out.println("Difference = " + b + " - " + a + "; diff/SE in standard errors of the difference"
        + " (sqrt(se_a^2 + se_b^2)); verdict against the paper: match (within 10% and 3 SE),"
        + " off, fragile, absent.");
    out.println();
    out.println("| model | layers | setting | " + a + " | " + b + " | difference | diff/SE |"
        + " verdict " + a + " | verdict " + b + " |");
    out.println("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |");
    List<Row> changed = new ArrayList<>();
    for (Row r : rows) {
      out.println("| " + r.model() + " | " + r.layers() + " | " + r.setting() + " | "
          + value(r.a()) + " | " + value(r.b()) + " | " + shortNum(r.difference()) + " | "
          + (Double.isNaN(r.inSe()) ? "" : String.format(Locale.ROOT, "%+.2f", r.inSe()))
          + " | " + verdict(r.a()) + " | " + (r.changed() ? "**" + verdict(r.b()) + "**"
              : verdict(r.b())) + " |");
      if (r.changed()) {
        changed.add(r);
      }
    }
    out.println();
    long both = rows.stream().filter(r -> r.a() != null && r.b() != null).count();
    out.println(both + " cell(s) in both, " + (rows.size() - both) + " in one only; "
        + changed.size() + " changed verdict" + (changed.isEmpty() ? "." : ":"));
    for (Row r : changed) {
      out.println("- " + r.model() + " " + r.layers() + ", " + r.setting() + ": "
          + verdict(r.a()) + " -> " + verdict(r.b()) + " (" + value(r.a()) + " -> "
          + value(r.b()) + ")");
    }
  }

  private static String value(Cell c) {
    if (c == null) {
      return "";
    }
    return shortNum(c.value()) + (c.se() > 0 ? " ± " + shortNum(c.se()) : "");
  }
}
