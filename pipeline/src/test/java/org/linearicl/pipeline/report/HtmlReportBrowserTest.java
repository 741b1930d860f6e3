package org.linearicl.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.experiments.artifacts.Json;

/**
 * results/ci/index.html opened in a real headless browser (Debian's Chromium, which CI installs):
 * every figure and table renders, and the page logs nothing to the console and raises no error.
 * The page is loaded from a copy with a probe added: a script at the top of {@code <head>} that
 * records errors (script errors, resources that fail to load) and console calls, and one at the
 * end of {@code <body>} that measures every image, SVG and table once the page has loaded and
 * writes the result into the DOM, which {@code --dump-dom} prints. The browser's own log
 * (stderr) is read for console messages too. A deliberately broken page proves the check fails.
 *
 * <p>Skipped when no browser is installed, unless {@code LINEAR_ICL_REQUIRE_BROWSER=1} (CI).
 */
class HtmlReportBrowserTest {
  static final Path PAGE = Path.of("..", "results", "ci", "index.html");

  /** Records errors and console calls from the first script on. */
  private static final String PROBE = "<script>(function(){window.__probe={errors:[]};"
      + "window.addEventListener('error',function(e){var t=e.target;window.__probe.errors.push("
      + "e.message?'error: '+e.message:'failed to load: '+((t&&(t.src||t.href||t.outerHTML))"
      + "||'?').slice(0,120));},true);['error','warn','log','info'].forEach(function(k){"
      + "var f=console[k];console[k]=function(){window.__probe.errors.push('console.'+k+': '+"
      + "[].join.call(arguments,' '));return f.apply(console,arguments);};});})();</script>";

  /** Measures what rendered once the page has loaded. */
  private static final String MEASURE = "<script>window.addEventListener('load',function(){"
      + "var r={errors:window.__probe.errors,images:[],svgs:[],tables:[]};"
      + "[].forEach.call(document.images,function(i){r.images.push({name:i.getAttribute('src'),"
      + "ok:i.complete&&i.naturalWidth>0&&i.getBoundingClientRect().height>0});});"
      + "[].forEach.call(document.querySelectorAll('svg'),function(s){if(s.parentElement"
      + ".closest('svg'))return;var b=s.getBBox(),c=s.getBoundingClientRect();r.svgs.push({"
      + "name:s.getAttribute('aria-label')||s.id||'svg',ok:b.width>0&&b.height>0&&c.width>0"
      + "&&c.height>0&&s.querySelectorAll('path,text,rect,ellipse,line,polyline').length>0});});"
      + "[].forEach.call(document.querySelectorAll('table'),function(t,n){r.tables.push({name:"
      + "t.className||('table '+n),rows:t.rows.length,ok:t.rows.length>1&&t.getBoundingClientRect()"
      + ".height>0});});var d=document.createElement('pre');d.id='render-check';"
      + "d.textContent=JSON.stringify(r);document.body.appendChild(d);});</script>";

  /** What the browser saw: the probe's report and the console lines of its log. */
  record Check(JsonNode report, List<String> consoleLog) {
    /** Every problem, one line each; empty when everything rendered without an error. */
    List<String> problems() {
      List<String> out = new ArrayList<>(consoleLog);
      report.path("errors").forEach(e -> out.add(e.asText()));
      for (String what : List.of("images", "svgs", "tables")) {
        report.path(what).forEach(x -> {
          if (!x.path("ok").asBoolean()) {
            out.add(what + ": " + x.path("name").asText() + " did not render");
          }
        });
      }
      return out;
    }
  }

  static Path browser() {
    String env = System.getenv("CHROMIUM");
    Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    boolean required = "1".equals(System.getenv("LINEAR_ICL_REQUIRE_BROWSER"));
    if (!Files.isExecutable(p)) {
      assertTrue(!required, "LINEAR_ICL_REQUIRE_BROWSER=1 but no browser at " + p
          + " (set CHROMIUM or install Debian's chromium)");
      Assumptions.abort("no headless browser at " + p);
    }
    return p;
  }

  /** Opens {@code html} (the page's text) from {@code dir} in the headless browser. */
  static Check open(String html, Path dir) throws IOException, InterruptedException {
    int head = html.indexOf("<head>");
    int body = html.lastIndexOf("</body>");
    assertTrue(head >= 0 && body > head, "a page with <head> and </body>");
    String probed = html.substring(0, head + 6) + PROBE + html.substring(head + 6, body)
        + MEASURE + html.substring(body);
    Path page = dir.resolve("page.html");
    Files.writeString(page, probed, StandardCharsets.UTF_8);
    Path out = dir.resolve("dom.html");
    Path err = dir.resolve("browser.log");
    Path profile = Files.createDirectories(dir.resolve("profile"));
    Process p = new ProcessBuilder(browser().toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--enable-logging=stderr", "--v=0", "--dump-dom", page.toUri().toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the browser did not finish within 120 s; its log: " + err);
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    int a = dom.indexOf("<pre id=\"render-check\">");
    int b = dom.indexOf("</pre>", Math.max(a, 0));
    assertTrue(a >= 0 && b > a, "the page's load handler ran (exit " + p.exitValue()
        + "); browser log: " + err);
    String json = dom.substring(a + "<pre id=\"render-check\">".length(), b)
        .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&amp;", "&");
    List<String> console = new ArrayList<>();
    for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
      if (line.contains(":CONSOLE")) {
        console.add("browser log: " + line);
      }
    }
    return new Check(Json.TREES.readTree(json), console);
  }

  @Test
  void everyFigureAndTableOfThePublishedPageRenders(@TempDir Path dir) throws Exception {
    browser();
    String html = Files.readString(PAGE, StandardCharsets.UTF_8);
    Check c = open(html, dir);
    assertEquals(List.of(), c.problems());
    // every figure of the page is an inline SVG that drew something
    int figures = html.split("<figure ", -1).length - 1;
    assertTrue(figures >= 15, "figures in the page: " + figures);
    assertEquals(figures, c.report().path("svgs").size(), c.report().toString());
    assertTrue(c.report().path("tables").size() >= 3, c.report().toString());
    assertEquals("t1", c.report().path("tables").get(0).path("name").asText());
    assertTrue(html.contains("<dt>commit</dt>"), "the runner stamped the provenance");
  }

  @Test
  void aBrokenPageFailsTheCheck(@TempDir Path dir) throws Exception {
    browser();
    String html = Files.readString(PAGE, StandardCharsets.UTF_8);
    String broken = html.replace("</main>", "<img src=\"missing.png\" alt=\"missing\">"
        + "<svg aria-label=\"empty\" width=\"50\" height=\"50\"></svg><table class=\"empty\">"
        + "</table><script>notDefinedAnywhere();</script></main>");
    List<String> problems = open(broken, dir).problems();
    String all = String.join("\n", problems);
    assertTrue(all.contains("notDefinedAnywhere"), all);
    assertTrue(all.contains("failed to load") && all.contains("missing.png"), all);
    assertTrue(all.contains("images: missing.png did not render"), all);
    assertTrue(all.contains("svgs: empty did not render"), all);
    assertTrue(all.contains("tables: empty did not render"), all);
  }
}
