package org.linearicl.analysis.kinds;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.linearicl.analysis.table.Csv;
import org.linearicl.analysis.table.PublishedTable1;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.Provenanced;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * Stage kind {@code html-report}: {@code index.html}, the results of a profile as one page that
 * reads offline (no file beside it is needed to see it): Table 1 with every cell coloured by its
 * distance from the paper in our standard errors, REPORT.md (the claims, their verdicts, the
 * findings inside the models), every figure inline as SVG with its caption, the released models,
 * and, added when the runner publishes it ({@link Provenanced}), the provenance: commit, JDK,
 * profile, and each stage's parameters, cache key and wall time. Its SVG is the figures' SVG,
 * laid out with the installed fonts, so CI does not compare its bytes (as for the figures).
 */
public final class HtmlReportKind extends DeclaredKind implements Provenanced {
  static final String FILE = "index.html";

  /** Where the runner's provenance goes; the cached artifact says it comes on publishing. */
  static final String MARKER = "<!-- provenance -->";

  private static final Pattern SVG_ID = Pattern.compile("(?<=\\s)id=(['\"])([^'\"]+)\\1");
  private static final Pattern SVG_REF = Pattern.compile("(url\\(#|href=(['\"])#)([^)'\"]+)");
  private static final Pattern FIGURE_LINK = Pattern.compile("(?:\\.\\./)*figures/([\\w.-]+)"
      + "\\.(?:png|svg|pdf)");
  private static final Pattern README_ROW = Pattern.compile("^\\| \\[([\\w.-]+)\\.png\\]\\([^)]*"
      + "\\)[^|]*\\| (.*) \\|$");
  private static final Pattern REPORT_FIGURE = Pattern.compile("^- \\[figures/([\\w.-]+)\\.png\\]"
      + "\\([^)]*\\): (.*)$");

  public HtmlReportKind() {
    super("html-report", 1, "index.html: Table 1 coloured by the distance from the paper, the"
        + " report, every figure inline and the run's provenance, as one offline page",
        List.of(ParamSpec.required("profile", ParamType.STRING,
            "the pipeline profile these results belong to (ci, quick, full, ...)")));
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    String profile = params.string("profile");
    String report = null;
    String comparison = null;
    String se = null;
    String models = null;
    Map<String, String> svgs = new TreeMap<>();
    Map<String, String> captions = new LinkedHashMap<>();
    for (Artifact a : inputs.all().values()) {
      for (String f : a.names()) {
        if (f.equals("REPORT.md")) {
          report = a.text(f);
        } else if (f.equals(PublishedTable1.COMPARISON_FILE)) {
          comparison = a.text(f);
        } else if (f.equals(PublishedTable1.SE_FILE)) {
          se = a.text(f);
        } else if (f.equals(ModelsKind.CSV)) {
          models = a.text(f);
        } else if (f.startsWith("figures/") && f.endsWith(".svg")) {
          svgs.put(f.substring("figures/".length(), f.length() - 4), a.text(f));
        } else if (f.equals("figures/README.md")) {
          captions(a.text(f), README_ROW, captions);
        }
      }
    }
    if (report == null || comparison == null || se == null) {
      throw new StageException("stage '" + params.stage() + "' needs the report stage (REPORT.md)"
          + " and the table1 stage (" + PublishedTable1.COMPARISON_FILE + ", "
          + PublishedTable1.SE_FILE + "); its inputs are " + inputs.all().keySet());
    }
    captions(report, REPORT_FIGURE, captions);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Reproduction report, profile ").append(MiniMarkdown.escape(profile))
        .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    h.append("<nav><a href=\"#table1\">Table 1</a> · <a href=\"#report\">Claims and findings</a>"
        + " · <a href=\"#figures\">Figures</a>").append(models == null ? ""
            : " · <a href=\"#models\">Released models</a>")
        .append(" · <a href=\"#provenance\">Provenance</a></nav>\n<main>\n");
    h.append("<section id=\"table1\">\n<h2>Table 1 against the paper (profile ")
        .append(MiniMarkdown.escape(profile)).append(")</h2>\n");
    table1(h, read(PublishedTable1.COMPARISON_FILE, comparison, PublishedTable1::comparison),
        read(PublishedTable1.SE_FILE, se, PublishedTable1::standardErrors));
    h.append("</section>\n<section id=\"report\">\n");
    h.append(MiniMarkdown.toHtml(report, HtmlReportKind::link));
    h.append("</section>\n<section id=\"figures\">\n<h2>Figures</h2>\n");
    List<String> names = new ArrayList<>(svgs.keySet());
    names.sort(Comparator.comparingInt(HtmlReportKind::figureOrder).thenComparing(n -> n));
    for (String n : names) {
      h.append("<figure id=\"fig-").append(n).append("\">\n").append(inlineSvg(n, svgs.get(n)))
          .append("\n<figcaption><strong>").append(n).append("</strong>");
      String c = captions.get(n);
      if (c != null) {
        h.append(": ").append(MiniMarkdown.inline(c, HtmlReportKind::link));
      }
      h.append("</figcaption>\n</figure>\n");
    }
    h.append("</section>\n");
    if (models != null) {
      models(h, models);
    }
    h.append("<section id=\"provenance\">\n<h2>Provenance</h2>\n").append(MARKER).append('\n')
        .append("<p>The run's provenance (commit, JDK, each stage's parameters, cache key and"
            + " wall time) is added when the pipeline publishes this page.</p>\n")
        .append(MARKER).append("\n</section>\n</main>\n</body>\n</html>\n");
    return Artifact.ofText(FILE, h.toString());
  }

  private static void captions(String text, Pattern p, Map<String, String> out) {
    for (String line : text.split("\n")) {
      Matcher m = p.matcher(line);
      if (m.matches()) {
        out.putIfAbsent(m.group(1), m.group(2));
      }
    }
  }

  private static int figureOrder(String name) {
    int i = ReportKind.FIGURES.indexOf(name);
    if (i < 0) {
      i = ReportKind.FIGURES.indexOf("figures/" + name);
    }
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** Figure links point at the inline figure; other links stay relative to results/PROFILE. */
  private static String link(String target) {
    Matcher m = FIGURE_LINK.matcher(target);
    return m.matches() ? "#fig-" + m.group(1) : target;
  }

  /**
   * The SVG document as an element of the page: without its XML prolog, with every id (and
   * every reference to one) prefixed by the figure's name, since all figures name their clip
   * paths alike and ids are global in a page.
   */
  static String inlineSvg(String name, String svg) {
    int start = svg.indexOf("<svg");
    if (start < 0) {
      throw new StageException("figure " + name + ".svg has no <svg> element");
    }
    String s = svg.substring(start).trim();
    String prefix = "fig-" + name + "-";
    s = SVG_ID.matcher(s).replaceAll(m -> Matcher.quoteReplacement("id=" + m.group(1) + prefix
        + m.group(2) + m.group(1)));
    s = SVG_REF.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + prefix
        + m.group(3)));
    return s.replaceFirst("<svg", Matcher.quoteReplacement("<svg role=\"img\" aria-label=\""
        + name + "\""));
  }

  /** The colour classes of a cell, by its distance z from the paper in our standard errors. */
  static String shade(double z) {
    double a = Math.abs(z);
    if (a <= 1) {
      return "z1";
    } else if (a <= 3) {
      return "z3";
    }
    String side = z > 0 ? "hi" : "lo";
    return a <= 10 ? side + "10" : side + "inf";
  }

  /** An input table parsed by {@code parser}; a malformed one is the named file's error. */
  private static <T> T read(String file, String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new StageException(file + ": " + e.getMessage());
    }
  }

  private static void table1(StringBuilder h, List<PublishedTable1.Compared> rows,
      Map<String, Double> ses) {
    Set<String> settings = new LinkedHashSet<>();
    Map<String, Map<String, PublishedTable1.Compared>> byRow = new LinkedHashMap<>();
    for (PublishedTable1.Compared r : rows) {
      settings.add(r.setting());
      byRow.computeIfAbsent(r.model() + "|" + r.layers(), k -> new LinkedHashMap<>())
          .put(r.setting(), r);
    }
    h.append("<p class=\"legend\">Each cell: our adjusted loss ± one standard error, then the"
        + " paper's value and the distance from it in <em>our standard errors</em>,"
        + " z = (ours − paper) / SE. Colour by |z|: ")
        .append("<span class=\"key z1\">≤ 1</span> <span class=\"key z3\">1–3</span> ")
        .append("<span class=\"key hi10\">3–10 above</span> <span class=\"key hiinf\">&gt; 10"
            + " above</span> ")
        .append("<span class=\"key lo10\">3–10 below</span> <span class=\"key loinf\">&gt; 10"
            + " below</span> ")
        .append("<span class=\"key fragile\">fragile: a few sequences decide it (never a match)</span>. A solid border"
            + " marks a cell off the paper by more than 10% or 3 SE.</p>\n");
    h.append("<div class=\"scroll\"><table class=\"t1\">\n<thead><tr><th>model</th>"
        + "<th>layers</th>");
    for (String s : settings) {
      h.append("<th>").append(MiniMarkdown.escape(s)).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Map<String, PublishedTable1.Compared>> e : byRow.entrySet()) {
      String[] key = e.getKey().split("\\|", 2);
      h.append("<tr><th>").append(MiniMarkdown.escape(key[0])).append("</th><td>")
          .append(key[1]).append("</td>");
      for (String s : settings) {
        PublishedTable1.Compared r = e.getValue().get(s);
        if (r == null) {
          h.append("<td class=\"none\"></td>");
          continue;
        }
        Double se = ses.get(r.key());
        boolean fragile = r.verdict() == PublishedTable1.Verdict.FRAGILE;
        double z = r.differenceInSe().orElse(0);
        // the colour says the distance, the border a flagged cell (a fragile one too)
        String cls = fragile ? "fragile" : shade(z);
        h.append("<td class=\"").append(cls).append(r.flagged() ? " off" : "")
            .append("\">").append(num(r.ours()));
        if (se != null) {
          h.append(" <small>± ").append(num(se)).append("</small>");
        }
        h.append("<br><small>paper ").append(num(r.paper())).append(fragile ? ", fragile: "
            + MiniMarkdown.escape(r.fragile()) : ", " + String.format(Locale.ROOT, "%+.1f SE", z))
            .append("</small></td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table></div>\n");
  }

  private static void models(StringBuilder h, String csv) {
    List<List<String>> rows = Csv.parse(csv);
    if (rows.isEmpty()) {
      throw new StageException(ModelsKind.CSV + ": empty; expected a header and rows");
    }
    h.append("<section id=\"models\">\n<h2>Released models</h2>\n<p>Every chosen model's "
        + "checkpoint and outcome are under <a href=\"models/\">models/</a> (format: "
        + "<a href=\"models/README.md\">models/README.md</a>); <code>linear-icl evaluate --model"
        + " models/STAGE/checkpoint.json --eval-samples N --eval-seed S</code> reproduces the"
        + " adjusted loss below.</p>\n<div class=\"scroll\"><table class=\"md\">\n<thead><tr>");
    for (String c : rows.get(0)) {
      h.append("<th>").append(MiniMarkdown.escape(c)).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (List<String> r : rows.subList(1, rows.size())) {
      h.append("<tr>");
      for (String c : r) {
        h.append("<td>").append(MiniMarkdown.escape(c)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table></div>\n</section>\n");
  }

  private static String num(double x) {
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    return a >= 1e-3 && a < 1e4 ? String.format(Locale.ROOT, "%.3g", x)
        : String.format(Locale.ROOT, "%.2e", x);
  }

  @Override
  public byte[] stamp(String name, byte[] content, String profile, List<StageRun> runs) {
    String page = new String(content, StandardCharsets.UTF_8);
    int a = page.indexOf(MARKER);
    int b = page.lastIndexOf(MARKER);
    if (!name.equals(FILE) || a < 0 || a == b) {
      return content;
    }
    StringBuilder p = new StringBuilder();
    Set<String> commits = new LinkedHashSet<>();
    Set<String> jdks = new LinkedHashSet<>();
    Set<String> oses = new LinkedHashSet<>();
    double total = 0;
    for (StageRun r : runs) {
      commits.add(r.commit());
      jdks.add(r.jdk());
      oses.add(r.os());
      total += r.wallSeconds();
    }
    p.append("<dl class=\"prov\">\n<dt>profile</dt><dd>").append(MiniMarkdown.escape(profile))
        .append("</dd>\n<dt>commit</dt><dd><code>")
        .append(MiniMarkdown.escape(String.join(", ", commits)))
        .append("</code></dd>\n<dt>JDK</dt><dd>").append(MiniMarkdown.escape(String.join(", ",
            jdks))).append("</dd>\n<dt>OS</dt><dd>").append(MiniMarkdown.escape(String.join(", ",
            oses))).append("</dd>\n<dt>stages</dt><dd>").append(runs.size())
        .append(String.format(Locale.ROOT, ", %.1f s of stage wall time in all (each stage's"
            + " time when it ran; stages run in parallel)", total)).append("</dd>\n</dl>\n");
    p.append("<div class=\"scroll\"><table class=\"md prov\">\n<thead><tr><th>stage</th><th>kind</th>"
        + "<th class=\"num\">wall s</th><th class=\"num\">threads</th><th>finished</th>"
        + "<th>cache key</th><th>parameters</th></tr></thead>\n<tbody>\n");
    for (StageRun r : runs) {
      p.append("<tr><td>").append(MiniMarkdown.escape(r.stage())).append("</td><td>")
          .append(MiniMarkdown.escape(r.kind())).append("</td><td class=\"num\">")
          .append(String.format(Locale.ROOT, "%.3f", r.wallSeconds()))
          .append("</td><td class=\"num\">").append(r.threads()).append("</td><td>")
          .append(MiniMarkdown.escape(r.finishedAt())).append("</td><td><code title=\"artifact ")
          .append(r.artifact()).append("\">").append(r.key()).append("</code></td><td><code>")
          .append(MiniMarkdown.escape(r.paramsJson())).append("</code></td></tr>\n");
    }
    p.append("</tbody></table></div>\n");
    return (page.substring(0, a) + p + page.substring(b + MARKER.length()))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static final String CSS = """
      body { font: 15px/1.45 sans-serif; margin: 0; color: #222; }
      nav { position: sticky; top: 0; background: #f4f4f4; padding: .5em 1em;
        border-bottom: 1px solid #ccc; z-index: 1; }
      main { max-width: 1320px; margin: 0 auto; padding: 0 1em 3em; }
      .scroll { overflow-x: auto; }
      table { border-collapse: collapse; margin: .8em 0; font-size: 13px; }
      th, td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
      td.num, th.num { text-align: right; }
      table.t1 td { text-align: right; white-space: nowrap; }
      table.prov code { font-size: 11px; word-break: break-all; }
      .z1 { background: #c7e9c0; } .z3 { background: #f0f7c8; }
      .hi10 { background: #fcbba1; } .hiinf { background: #fb6a4a; }
      .lo10 { background: #c6dbef; } .loinf { background: #6baed6; }
      .fragile { background: #d9d9d9; color: #555; } td.none { background: #fff; }
      td.off { outline: 2px solid #333; outline-offset: -2px; }
      .key { padding: 0 .4em; border: 1px solid #ccc; white-space: nowrap; }
      figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; }
      figcaption { font-size: 13px; color: #444; }
      code { font-size: 90%; }
      dl.prov dt { font-weight: bold; float: left; clear: left; width: 6em; }
      dl.prov dd { margin-left: 7em; }
      """;
}
