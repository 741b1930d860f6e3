package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linearicl.analysis.table.Csv;
import org.linearicl.experiments.artifacts.Json;

/**
 * The released models of results/ci, read as they are by {@code evaluate --model}, reproduce the
 * adjusted loss published beside them (models/models.csv) and in Table 1 to the last digit, on
 * the evaluation sequences models.csv names.
 */
class PublishedModelsTest {
  static final Path RESULTS = Path.of("..", "results", "ci");

  /** Sample sizes of the parts of the evaluation that do not touch the models' number. */
  private static final String[] SMALL = {"--eval-confirm-samples", "200",
      "--eval-profile-points", "2", "--eval-profile-samples", "50"};

  @Test
  void everyPublishedModelReproducesItsAdjustedLoss(@TempDir Path tmp) throws IOException {
    List<List<String>> rows = Csv.parse(Files.readString(RESULTS.resolve("models/models.csv")));
    assertEquals(List.of("model", "variant", "layers", "noise_key", "noise", "seed", "status",
        "adjusted_loss", "adjusted_loss_se", "d", "n", "eval_samples", "eval_seed"), rows.get(0));
    Map<String, List<List<String>>> byNoise = new LinkedHashMap<>();
    rows.subList(1, rows.size()).forEach(r -> byNoise.computeIfAbsent(r.get(4),
        k -> new ArrayList<>()).add(r));
    Map<String, String> table1 = table1Cells();
    int checked = 0;
    int inTable1 = 0;
    for (Map.Entry<String, List<List<String>>> e : byNoise.entrySet()) {
      List<List<String>> models = e.getValue();
      String samples = models.get(0).get(11);
      String seed = models.get(0).get(12);
      Path baselines = tmp.resolve("baselines-" + models.get(0).get(3));
      List<String> base = new ArrayList<>(List.of("baselines", "--noise", e.getKey(),
          "--tune-samples", "500", "--tune-max-k", "1", "--eval-samples", samples, "--eval-seed",
          seed, "--out", baselines.toString()));
      base.addAll(List.of(SMALL));
      CommandLineTest.Result b = CommandLineTest.run(base.toArray(String[]::new));
      assertEquals(0, b.code(), b.err());
      List<String> args = new ArrayList<>(List.of("evaluate", "--baselines",
          baselines.toString(), "--eval-samples", samples, "--eval-seed", seed));
      args.addAll(List.of(SMALL));
      Map<String, List<String>> byFile = new LinkedHashMap<>();
      for (List<String> m : models) {
        assertEquals(samples, m.get(11));
        assertEquals(seed, m.get(12));
        Path ckpt = RESULTS.resolve("models").resolve(m.get(0)).resolve("checkpoint.json");
        assertTrue(Files.isRegularFile(ckpt.resolveSibling("outcome.json")), ckpt.toString());
        args.addAll(List.of("--model", ckpt.toString()));
        byFile.put(ckpt.toString(), m);
      }
      CommandLineTest.Result r = CommandLineTest.run(args.toArray(String[]::new));
      assertEquals(0, r.code(), r.err());
      JsonNode out = Json.TREES.readTree(r.lastLine());
      assertEquals(models.size(), out.path("models").size(), r.lastLine());
      for (JsonNode m : out.path("models")) {
        List<String> row = byFile.get(m.path("model").asText());
        String again = Double.toString(m.path("adjusted_loss").asDouble());
        assertEquals(row.get(7), again, row.get(0) + ": published vs re-evaluated");
        String cell = table1.get(row.get(1) + "|" + row.get(2) + "|" + row.get(3));
        if (cell != null) {
          assertEquals(cell, again, row.get(0) + ": Table 1 vs re-evaluated");
          inTable1++;
        }
        checked++;
      }
    }
    assertEquals(rows.size() - 1, checked);
    assertTrue(inTable1 >= 18, "the models of Table 1's cells: " + inTable1);
  }

  /** Table 1's model cells by "variant|layers|noise key", as published in table1.csv. */
  private static Map<String, String> table1Cells() throws IOException {
    List<List<String>> rows = Csv.parse(Files.readString(RESULTS.resolve("tables/table1.csv")));
    Map<String, String> out = new LinkedHashMap<>();
    List<String> header = rows.get(0);
    Map<String, String> variants = Map.of("GD++", "gdpp", "DIAG", "diag", "FULL", "full");
    for (List<String> r : rows.subList(1, rows.size())) {
      String v = variants.get(r.get(0));
      for (int i = 2; v != null && i < r.size(); i++) {
        if (!r.get(i).isEmpty()) {
          out.put(v + "|" + r.get(1) + "|" + header.get(i), r.get(i));
        }
      }
    }
    return out;
  }
}
