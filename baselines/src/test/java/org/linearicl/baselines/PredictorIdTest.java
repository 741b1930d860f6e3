package org.linearicl.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;

class PredictorIdTest {
  /**
   * The ids are in the published results (evaluation.json, the baselines command's JSON) and the
   * labels in every table: written out here, so that renaming one is a decision, not an accident.
   */
  @Test
  void idsAndLabelsAreTheFormatsOnes() {
    assertEquals(List.of("gdpp", "diag", "full", "oracle", "const_rr", "ada_rr", "tuned_rr",
        "bayes", "gd"), Arrays.stream(PredictorId.values()).map(PredictorId::id).toList());
    assertEquals(List.of("GD++", "DIAG", "FULL", "oracle", "ConstRR", "AdaRR", "TunedRR",
        "Bayes-optimal", "GD"), Arrays.stream(PredictorId.values()).map(PredictorId::label)
        .toList());
  }

  @Test
  void kindsAndVariants() {
    for (Variant v : Variant.values()) {
      PredictorId p = PredictorId.of(v);
      assertEquals(PredictorId.Kind.TRANSFORMER, p.kind());
      assertTrue(p.isTransformer());
      assertEquals(v, p.variant());
      assertEquals(v.cliName(), p.id());
      assertEquals(v.paperName(), p.label());
    }
    assertEquals(PredictorId.Kind.REFERENCE, PredictorId.ORACLE.kind());
    assertEquals(PredictorId.Kind.REFERENCE, PredictorId.BAYES.kind());
    for (PredictorId p : List.of(PredictorId.CONST_RR, PredictorId.ADA_RR, PredictorId.TUNED_RR,
        PredictorId.GD)) {
      assertEquals(PredictorId.Kind.BASELINE, p.kind(), p.label());
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        PredictorId.TUNED_RR::variant);
    assertEquals("TunedRR is a baseline, not a transformer variant", e.getMessage());
  }

  @Test
  void lookUpByIdAndLabel() {
    for (PredictorId p : PredictorId.values()) {
      assertEquals(Optional.of(p), PredictorId.byId(p.id()));
      assertEquals(Optional.of(p), PredictorId.byLabel(p.label()));
    }
    assertEquals(Optional.empty(), PredictorId.byId("ConstRR"));
    assertEquals(Optional.empty(), PredictorId.byLabel("const_rr"));
  }

  /** Every predictor the evaluation runs says who it is, and its name is that entry's id. */
  @Test
  void theEvaluatedPredictorsNameThemselvesByTheirId() {
    TunedBaselines tuned = new TunedBaselines(NoiseDistribution.parse("uniform:2"), 0.5, 1.0,
        2.0, new double[] {0.1, 0.2}, 10, 1);
    List<Predictor> all = BaselineStudy.predictors(tuned);
    assertEquals(List.of(PredictorId.ORACLE, PredictorId.CONST_RR, PredictorId.ADA_RR,
        PredictorId.TUNED_RR, PredictorId.BAYES, PredictorId.GD),
        all.stream().map(Predictor::id).toList());
    for (Predictor p : all) {
      assertEquals(p.id().id(), p.name());
    }
  }
}
