package org.linearicl.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.train.Training;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.experiments.study.RecipeStudy.Definition;
import org.linearicl.experiments.study.RecipeStudy.Run;

class RecipeStudyTest {
  private static final String STUDY = """
      {"snapshots": 3, "validation_samples": 300, "models": ["diag-2", "gdpp-1"],
       "noise": ["uniform:5"],
       "recipes": {"fast": {"params": {"steps": 12, "batch": 64, "polish_samples": 512,
                                       "polish_iterations": 3, "validation_samples": 300,
                                       "tail_samples": 2000},
                            "variants": {"gdpp": {"steps": 6}}},
                   "slow": {"params": {"lr": 1e-4, "schedule": "constant", "beta2": 0.999,
                                       "steps": 8, "batch": 128, "polish_iterations": 0,
                                       "validation_samples": 300, "tail_samples": 2000}}}}""";

  private static JsonNode tree(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void snapshotsAreLogSpacedAndEndAtTheLastStep() {
    assertArrayEquals(new long[] {16, 31, 63, 125, 250, 500, 1000, 2000},
        RecipeStudy.snapshotSteps(2000, 8));
    assertArrayEquals(new long[] {1, 2, 3}, RecipeStudy.snapshotSteps(3, 8));
    assertArrayEquals(new long[] {7}, RecipeStudy.snapshotSteps(7, 1));
  }

  @Test
  void readsAStudyAndKeepsNamedRecipes() throws Exception {
    Definition def = Definition.fromTree(tree(STUDY), "study.yaml");
    assertEquals(List.of("fast", "slow"), def.recipes().stream().map(r -> r.name()).toList());
    assertEquals(new RecipeStudy.Model(Variant.DIAG, 2), def.models().get(0));
    TrainingConfig slow = def.recipes().get(1).config(def.models().get(0), def.noises().get(0));
    assertEquals(1e-4, slow.adam().lr());
    assertEquals(0.999, slow.adam().beta2());
    assertEquals(8, slow.steps());
    assertEquals(128, slow.batchSize());
    // per-variant parameters override the recipe's, the train kind's defaults fill the rest
    TrainingConfig fastGdpp = def.recipes().get(0).config(def.models().get(1),
        def.noises().get(0));
    assertEquals(6, fastGdpp.steps());
    assertEquals(TrainingConfig.VariantRecipe.of(Variant.GDPP, 1).lr(), fastGdpp.adam().lr());
    assertEquals(List.of("slow"),
        def.onlyRecipes(Set.of("slow")).recipes().stream().map(r -> r.name()).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> def.onlyRecipes(Set.of("nope")));
    assertTrue(e.getMessage().contains("[nope]"), e.getMessage());
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    String[][] cases = {
        {STUDY.replace("\"diag-2\"", "\"diag-x\""), "study.yaml: models: expected VARIANT-LAYERS"},
        {STUDY.replace("\"steps\": 12", "\"step\": 12"), "'step': unknown parameter"},
        {STUDY.replace("\"noise\": [\"uniform:5\"]", "\"noise\": []"), "noise: expected a non-empty"},
        {STUDY.replace("{\"gdpp\": {\"steps\": 6}}", "{\"dag\": {}}"), "recipes.fast.variants"},
        {STUDY.replace("\"batch\": 64", "\"batch\": 6.5"), "'batch': expected an integer"},
        {STUDY.replace("\"schedule\": \"constant\"", "\"schedule\": \"cosin\""),
            "schedule 'cosin'"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Definition.fromTree(tree(c[0]), "study.yaml"), c[1]);
      assertTrue(e.getMessage().startsWith("study.yaml: "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' lacks '" + c[1] + "'");
    }
  }

  /**
   * A run trains through Training, the path of the pipeline stage: its last point is the model
   * Training chooses for the same config, evaluated on the study's validation sequences.
   */
  @Test
  void theLastPointIsTheModelTheTrainStageWouldTrain() throws Exception {
    Definition def = Definition.fromTree(tree(STUDY), "study.yaml");
    List<Run> runs = RecipeStudy.run(def, 2, 1);
    assertEquals(4, runs.size());
    Run fastDiag = runs.get(0);
    assertEquals("fast", fastDiag.recipe().name());
    assertEquals(Variant.DIAG, fastDiag.model().variant());
    assertEquals(List.of("adam", "adam", "adam", "final"),
        fastDiag.points().stream().map(RecipeStudy.Point::phase).toList());
    assertEquals(List.of(3L, 6L, 12L, 12L),
        fastDiag.points().stream().map(RecipeStudy.Point::step).toList());

    TrainingConfig config = fastDiag.recipe().config(fastDiag.model(), fastDiag.noise());
    Training.Outcome o;
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      o = Training.run(config, List.of(), e, TrainingListener.NONE);
    }
    // the study's validation set is the train stage's (same seed), here 300 sequences
    assertEquals(o.choice().validation().adjusted().mean(), fastDiag.last().adjusted(), 0.0);

    String csv = RecipeStudy.csv(runs);
    assertTrue(csv.startsWith("recipe,variant,layers,noise,step,seconds,adjusted_loss,"));
    assertEquals(1 + 4 * 4, csv.split("\n").length);
    assertTrue(csv.contains("fast,diag,2,\"uniform:5\",12,"), csv);
    List<Run> back = RecipeStudy.parseCsv(def, csv, "recipes.csv");
    assertEquals(4, back.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(runs.get(i).recipe(), back.get(i).recipe());
      assertEquals(runs.get(i).model(), back.get(i).model());
      assertEquals(runs.get(i).points().size(), back.get(i).points().size());
      for (int j = 0; j < back.get(i).points().size(); j++) {
        RecipeStudy.Point a = runs.get(i).points().get(j);
        RecipeStudy.Point b = back.get(i).points().get(j);
        assertEquals(a.step(), b.step());
        assertEquals(a.phase(), b.phase());
        assertEquals(a.adjusted(), b.adjusted(), 1e-5 * Math.abs(a.adjusted()),
            "6 significant digits");
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecipeStudy.parseCsv(def, "header\nother,diag,2,\"uniform:5\",1,0.1,1,1,final\n",
            "recipes.csv"));
    assertTrue(e.getMessage().contains("recipes.csv line 2: recipe 'other'"), e.getMessage());
  }
}
