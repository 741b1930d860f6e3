package org.linearicl.analysis.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;

class TheorySummaryTest {
  /** The ci profile's published summary, byte for byte. */
  static final String PUBLISHED = "quantity,value\n"
      + "gdpp_u0_loglog_slope_paper,0.6218\n"
      + "quadratic_max_abs_cosine,0.1997\n"
      + "readout_max_rel_error_prediction,3.117e-13\n"
      + "readout_max_rel_error_y,7.763e-13\n"
      + "readout_models,14\n"
      + "step_size_c13,1.94052\n"
      + "step_size_u0,3.61420\n"
      + "step_size_u5,1.81812\n";

  private static String message(String text) {
    return assertThrows(StageException.class, () -> TheorySummary.parse(text, "theory/x.csv"))
        .getMessage();
  }

  @Test
  void aPublishedSummaryReadsBackAndWritesTheSameBytes() {
    TheorySummary s = TheorySummary.parse(PUBLISHED, "theory/x.csv");
    assertEquals(new TheorySummary.Readout(14, 7.763e-13, 3.117e-13), s.readout().orElseThrow());
    assertEquals(0.1997, s.quadraticMaxAbsCosine().orElseThrow());
    assertTrue(s.gdppSlope().isEmpty());
    assertEquals(0.6218, s.gdppSlopePaper());
    // in the paper's column order, not alphabetical
    assertEquals(List.of("u0", "u5", "c13"), List.copyOf(s.stepSizes().keySet()));
    assertEquals(3.6142, s.stepSizes().get("u0"));
    assertEquals(PUBLISHED, s.toCsv());
  }

  @Test
  void numbersAreWrittenAtTheirPublishedPrecision() {
    TheorySummary s = new TheorySummary(Optional.of(new TheorySummary.Readout(2,
        7.76312e-13, 1.0 / 3)), OptionalDouble.empty(), OptionalDouble.of(Math.log(2)), 0.5,
        new TreeMap<>(Map.of("u1", 2.0 / 3)));
    assertEquals("quantity,value\n"
        + "gdpp_u0_loglog_slope,0.6931\n"
        + "gdpp_u0_loglog_slope_paper,0.5000\n"
        + "readout_max_rel_error_prediction,3.333e-01\n"
        + "readout_max_rel_error_y,7.763e-13\n"
        + "readout_models,2\n"
        + "step_size_u1,0.666667\n", s.toCsv());
    TheorySummary back = TheorySummary.parse(s.toCsv(), "x");
    assertEquals(0.6931, back.gdppSlope().orElseThrow());
    assertTrue(back.readout().isPresent() && back.quadraticMaxAbsCosine().isEmpty());
    assertEquals(s.toCsv(), back.toCsv());
  }

  @Test
  void aMissingOrMalformedQuantityNamesTheFileAndTheKey() {
    assertEquals("theory/x.csv: key 'gdpp_u0_loglog_slope_paper' is missing",
        message("quantity,value\nstep_size_u0,1\n"));
    assertEquals("theory/x.csv: key 'readout_max_rel_error_y' is missing",
        message(PUBLISHED.replace("readout_max_rel_error_y,7.763e-13\n", "")));
    assertEquals("theory/x.csv: key 'readout_models' is missing",
        message(PUBLISHED.replace("readout_models,14\n", "")));
    assertEquals("theory/x.csv: key 'step_size_u5': expected a number, got 'fast'",
        message(PUBLISHED.replace("1.81812", "fast")));
    assertEquals("theory/x.csv: key 'readout_models': expected an integer, got '1.5'",
        message(PUBLISHED.replace("readout_models,14", "readout_models,1.5")));
    assertEquals("theory/x.csv: key 'readout_models': expected at least 1 model",
        message(PUBLISHED.replace("readout_models,14", "readout_models,0")));
    assertEquals("theory/x.csv: unknown key 'readout_models_typo'",
        message(PUBLISHED + "readout_models_typo,3\n"));
    assertEquals("theory/x.csv: key 'step_size_u0' appears twice",
        message(PUBLISHED + "step_size_u0,3\n"));
    assertEquals("theory/x.csv, line 3: expected 'key,value', got 'quadratic_max_abs_cosine'",
        message(PUBLISHED.replace("quadratic_max_abs_cosine,0.1997", "quadratic_max_abs_cosine")));
    assertEquals("theory/x.csv: expected the header 'quantity,value', got 'key,value'",
        message(PUBLISHED.replace("quantity,value", "key,value")));
  }

  @Test
  void theSummaryAmongTheInputsIsTheTheoryStagesOnly() {
    TreeMap<String, Artifact> in = new TreeMap<>(Map.of("select-u0",
        Artifact.ofText("selection.json", "{}")));
    assertTrue(TheorySummary.of(new StageInputs("report", in)).isEmpty());
    in.put("theory", Artifact.ofText(TheorySummary.FILE, PUBLISHED));
    assertEquals(PUBLISHED, TheorySummary.of(new StageInputs("report", in)).orElseThrow()
        .toCsv());
    in.put("theory-2", Artifact.ofText(TheorySummary.FILE, PUBLISHED.replace("14", "x")));
    StageException e = assertThrows(StageException.class,
        () -> TheorySummary.of(new StageInputs("report", in)));
    assertEquals("two inputs have tables/theory_summary.csv: theory and theory-2",
        e.getMessage());
    in.remove("theory");
    e = assertThrows(StageException.class, () -> TheorySummary.of(new StageInputs("report", in)));
    assertEquals("theory-2/tables/theory_summary.csv: key 'readout_models': expected an "
        + "integer, got 'x'", e.getMessage());
  }
}
