package org.linearicl.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.PipelineSpec;
import org.linearicl.pipeline.spec.Stage;

class WarmStartChainTest {
  /**
   * {@code train}'s own chain is pipeline.yaml's: every train stage of the default profile has
   * the name the chain gives it, and needs exactly the models the chain says it contains.
   */
  @Test
  void theChainNamesAndNeedsWhatPipelineYamlDeclares() {
    Pipeline p = PipelineSpec.load(Path.of("..", "pipeline.yaml"), "pipeline.yaml",
        StageKinds.installed()).expand("full");
    int checked = 0;
    for (Stage s : p.stages().values()) {
      if (!s.kind().name().equals("train")) {
        continue;
      }
      Variant v = Variant.parse(s.params().string("variant"));
      int layers = (int) s.params().integer("layers");
      NoiseDistribution noise = NoiseDistribution.parse(s.params().string("noise"));
      long seed = s.params().integer("seed");
      WarmStartChain.Model m = new WarmStartChain.Model(v, layers);
      assertEquals(s.name(), WarmStartChain.stageName(m, noise, seed));
      List<String> direct = new ArrayList<>();
      for (WarmStartChain.Model c : WarmStartChain.direct(v, layers)) {
        direct.add(WarmStartChain.stageName(c, noise, seed));
      }
      assertEquals(direct.stream().sorted().toList(), s.needs(), s.name());
      checked++;
    }
    assertTrue(checked >= 210, "train stages checked: " + checked);
  }

  @Test
  void everyModelComesAfterTheModelsItContains() {
    List<WarmStartChain.Model> chain = WarmStartChain.contained(Variant.FULL, 3);
    assertEquals(8, chain.size(), chain.toString()); // 3 GD++, 3 DIAG, FULL-1 and FULL-2
    for (int i = 0; i < chain.size(); i++) {
      for (WarmStartChain.Model c : WarmStartChain.direct(chain.get(i).variant(),
          chain.get(i).layers())) {
        assertTrue(chain.indexOf(c) >= 0 && chain.indexOf(c) < i, chain.get(i) + " needs " + c);
      }
    }
    assertEquals(List.of(new WarmStartChain.Model(Variant.GDPP, 1)),
        WarmStartChain.contained(Variant.GDPP, 2));
    assertEquals(List.of(new WarmStartChain.Model(Variant.GDPP, 1)),
        WarmStartChain.contained(Variant.DIAG, 1));
  }
}
