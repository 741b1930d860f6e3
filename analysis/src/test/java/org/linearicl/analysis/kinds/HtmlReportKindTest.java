package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.Provenanced;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

class HtmlReportKindTest {
  static final String SVG = "<?xml version=\"1.0\"?>\n<svg xmlns='http://www.w3.org/2000/svg'"
      + " width='10pt' height='10pt'><defs><clipPath id='figclip-0'><path d='M0,0L9,9'/>"
      + "</clipPath></defs><rect x='0' y='0' width='5' height='5' clip-path='url(#figclip-0)'/>"
      + "<text x='1' y='1'>valid='x'</text></svg>";

  static final String COMPARISON = """
      model,layers,setting,ours,paper,difference,diff/SE,relative,flag,fragile
      GD++,1,"U(0,5)",0.96,0.907,0.053,1.3,0.058,,
      DIAG,2,"U(0,5)",0.10,0.242,-0.14,-14.2,-0.58,*,
      AdaRR,-,"U(0,5)",0.0405,0.068,-0.027,,-0.40,*,about 10 of 5000 sequences
      """;

  static final String SE = """
      model,layers,u0,u1,u2,u3,u4,u5,u6,u7,c13,c135
      GD++,1,,,,,,0.0414,,,,
      DIAG,2,,,,,,0.01,,,,
      AdaRR,-,,,,,,0.0126,,,,
      """;

  static Artifact page() {
    SortedMap<String, Artifact> in = new TreeMap<>();
    in.put("report", Artifact.ofText("REPORT.md", "# Report\n\nSee [fig 1](figures/fig1.png)"
        + " and [the table](tables/table1.md).\n\n- **Reproduced**: yes\n\n| a | b |\n| --- | --: |"
        + "\n| 1 | 2 |\n"));
    in.put("table1", Artifact.builder().text("tables/table1_comparison.csv", COMPARISON)
        .text("tables/table1_se.csv", SE).build());
    in.put("figures", Artifact.builder().text("figures/fig1.svg", SVG)
        .text("figures/README.md", "| [fig1.png](fig1.png) ([svg](fig1.svg)) | The caption |\n")
        .text("figures/fig1.png", "not read").build());
    HtmlReportKind k = new HtmlReportKind();
    return k.run(StageParams.resolve("html", k.params(), JsonNodeFactory.instance.objectNode()
        .put("profile", "ci")), new StageInputs("html", in), StageContext.simple("html", 1));
  }

  @Test
  void thePageHoldsTable1TheReportAndEveryFigureInline() {
    Artifact a = page();
    assertEquals(java.util.Set.of("index.html"), a.names());
    String h = a.text("index.html");
    // Table 1: the cells coloured by their distance in SE, the fragile one grey, flags framed
    assertTrue(h.contains("<td class=\"z3\">0.960 <small>± 0.0414</small><br><small>paper 0.907,"
        + " +1.3 SE</small></td>"), h);
    assertTrue(h.contains("<td class=\"loinf off\">0.100"), h);
    assertTrue(h.contains("<td class=\"fragile off\">0.0405"), h);
    // the report as HTML; figure links point at the inline figure
    assertTrue(h.contains("<a href=\"#fig-fig1\">fig 1</a>"), h);
    assertTrue(h.contains("<a href=\"tables/table1.md\">the table</a>"), h);
    assertTrue(h.contains("<li><strong>Reproduced</strong>: yes</li>"), h);
    assertTrue(h.contains("<td class=\"num\">2</td>"), h);
    // the figure inline, without the XML prolog, its ids made unique, with its caption
    assertTrue(h.contains("<figure id=\"fig-fig1\">\n<svg role=\"img\" aria-label=\"fig1\""), h);
    assertTrue(h.contains("<clipPath id='fig-fig1-figclip-0'>"), h);
    assertTrue(h.contains("clip-path='url(#fig-fig1-figclip-0)'"), h);
    assertTrue(h.contains("<text x='1' y='1'>valid='x'</text>"), "text is not an id: " + h);
    assertFalse(h.contains("<?xml"), h);
    assertTrue(h.contains("<strong>fig1</strong>: The caption"), h);
    // no PNG is referenced: the page needs no file beside it
    assertFalse(h.contains(".png\""), h);
    assertEquals(2, h.split(HtmlReportKind.MARKER, -1).length - 1);
  }

  @Test
  void publishingStampsTheProvenanceBetweenTheMarkers() {
    HtmlReportKind k = new HtmlReportKind();
    byte[] page = page().bytes("index.html");
    List<Provenanced.StageRun> runs = List.of(
        new Provenanced.StageRun("train-a", "train@3", "k1", "a1", "{\"steps\":5}", "JDK 17",
            "Linux amd64", "abc123", 2, 12.5, "2026-01-01T00:00:00Z"),
        new Provenanced.StageRun("html", "html-report@1", "k2", "a2", "{\"profile\":\"ci\"}",
            "JDK 17", "Linux amd64", "abc123", 1, 0.25, "2026-01-01T00:01:00Z"));
    String s = new String(k.stamp("index.html", page, "ci", runs), StandardCharsets.UTF_8);
    assertFalse(s.contains(HtmlReportKind.MARKER), s);
    assertFalse(s.contains("is added when the pipeline publishes"), s);
    assertTrue(s.contains("<dt>commit</dt><dd><code>abc123</code></dd>"), s);
    assertTrue(s.contains("12.8 s of stage wall time"), s);
    assertTrue(s.contains("<td>train-a</td><td>train@3</td><td class=\"num\">12.500</td>"), s);
    assertTrue(s.contains("<code title=\"artifact a1\">k1</code>"), s);
    assertTrue(s.contains("{&quot;steps&quot;:5}"), s);
    // a pure function of its arguments: status recomputes it
    assertArrayEquals(k.stamp("index.html", page, "ci", runs),
        k.stamp("index.html", page, "ci", runs));
    // other files, and a page without the markers, pass unchanged
    assertArrayEquals(page, k.stamp("other.html", page, "ci", runs));
    byte[] plain = "<p>x</p>".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(plain, k.stamp("index.html", plain, "ci", runs));
  }

  @Test
  void shadesFollowTheDistanceInStandardErrors() {
    assertEquals("z1", HtmlReportKind.shade(-1));
    assertEquals("z3", HtmlReportKind.shade(2.9));
    assertEquals("hi10", HtmlReportKind.shade(3.1));
    assertEquals("hiinf", HtmlReportKind.shade(10.5));
    assertEquals("lo10", HtmlReportKind.shade(-9));
    assertEquals("loinf", HtmlReportKind.shade(-11));
  }

  @Test
  void withoutTheReportOrTable1ItSaysWhatItNeeds() {
    HtmlReportKind k = new HtmlReportKind();
    SortedMap<String, Artifact> in = new TreeMap<>();
    in.put("report", Artifact.ofText("REPORT.md", "# R\n"));
    StageException e = assertThrows(StageException.class, () -> k.run(StageParams.resolve("html",
        k.params(), JsonNodeFactory.instance.objectNode().put("profile", "ci")),
        new StageInputs("html", in), StageContext.simple("html", 1)));
    assertTrue(e.getMessage().contains("table1"), e.getMessage());
  }
}
