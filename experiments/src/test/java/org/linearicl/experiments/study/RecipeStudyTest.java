package org.linearicl.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.ChunkedExecutor;
import org.linearicl.core.train.Evaluator;
import org.linearicl.core.train.Trainer;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.experiments.study.RecipeStudy.Definition;
import org.linearicl.experiments.study.RecipeStudy.Run;

class RecipeStudyTest {
  private static final String STUDY = """
      {"snapshots": 3, "validation_samples": 300, "models": ["diag-2", "gdpp-1"],
       "noise": ["uniform:5"],
       "recipes": {"fast": {"lr": {"diag": 0.01, "gdpp": 0.01}, "steps": 12, "batch": 64},
                   "slow": {"lr": {"diag": 1e-4, "gdpp": 1e-4}, "schedule": "constant",
                            "beta2": 0.999, "steps": 8, "batch": 128}}}""";

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
        {STUDY.replace("\"steps\": 12", "\"step\": 12"), "unknown key 'recipes.fast.step'"},
        {STUDY.replace("\"noise\": [\"uniform:5\"]", "\"noise\": []"), "noise: expected a non-empty"},
        {STUDY.replace("{\"diag\": 0.01, \"gdpp\": 0.01}", "{\"dag\": 0.01}"), "recipes.fast.lr: "},
        {STUDY.replace("\"batch\": 64", "\"batch\": 6.5"), "recipes.fast.batch: expected an integer"},
        {STUDY.replace("\"schedule\": \"constant\"", "\"schedule\": \"cosin\""),
            "recipes.slow.schedule"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Definition.fromTree(tree(c[0]), "study.yaml"), c[1]);
      assertTrue(e.getMessage().startsWith("study.yaml: "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' lacks '" + c[1] + "'");
    }
  }

  @Test
  void snapshotsDoNotChangeTrainingAndTheLastIsTheTrainedModel() throws Exception {
    Definition def = Definition.fromTree(tree(STUDY), "study.yaml");
    List<Run> runs = RecipeStudy.run(def, 2, 1);
    assertEquals(4, runs.size());
    Run fastDiag = runs.get(0);
    assertEquals("fast", fastDiag.recipe().name());
    assertEquals(Variant.DIAG, fastDiag.model().variant());
    assertFalse(fastDiag.diverged());
    assertEquals(List.of(3L, 6L, 12L),
        fastDiag.points().stream().map(RecipeStudy.Point::step).toList());

    TrainingConfig config = fastDiag.recipe().config(fastDiag.model(), fastDiag.noise());
    try (ChunkedExecutor e = new ChunkedExecutor(1)) {
      double[] params = new Trainer(config, e).train(TrainingListener.NONE).params();
      Batch validation = new TaskSampler(TaskSpec.paper(fastDiag.noise())).sample(300,
          RecipeStudy.VALIDATION_SEED, Streams.Purpose.EVALUATION, 0);
      PairedEvaluation direct = Evaluator.evaluate(new LinearTransformer(config.shape(), params),
          validation, Evaluator.oraclePredictions(validation, e), e);
      RecipeStudy.Point last = fastDiag.points().get(2);
      assertEquals(direct.adjusted().mean(), last.adjusted(), 0.0);
      assertEquals(direct.adjusted().standardError(), last.adjustedSe(), 0.0);
    }
    String csv = RecipeStudy.csv(runs);
    assertTrue(csv.startsWith("recipe,variant,layers,noise,batch,step,sequences,seconds,"));
    assertEquals(1 + 3 + 3 + 3 + 3, csv.split("\n").length);
    assertTrue(csv.contains("fast,diag,2,\"uniform:5\",64,12,768,"), csv);

    List<Run> back = RecipeStudy.parseCsv(def, csv + "fast,diag,2,\"uniform:5\",64,,,,,,"
        + "\"diverged: at step 13\"\n", "recipes.csv");
    assertEquals(4, back.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(runs.get(i).recipe(), back.get(i).recipe());
      assertEquals(runs.get(i).model(), back.get(i).model());
      assertEquals(runs.get(i).noise(), back.get(i).noise());
      assertEquals(runs.get(i).points().size(), back.get(i).points().size());
      for (int j = 0; j < back.get(i).points().size(); j++) {
        RecipeStudy.Point a = runs.get(i).points().get(j);
        RecipeStudy.Point b = back.get(i).points().get(j);
        assertEquals(a.step(), b.step());
        assertEquals(a.adjusted(), b.adjusted(), 1e-5 * a.adjusted(), "6 significant digits");
      }
    }
    assertTrue(back.get(0).diverged());
    assertFalse(back.get(1).diverged());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecipeStudy.parseCsv(def, "header\nother,diag,2,\"uniform:5\",64,1,64,0.1,1,1,ok\n",
            "recipes.csv"));
    assertTrue(e.getMessage().contains("recipes.csv line 2: recipe 'other'"), e.getMessage());
  }
}
