package org.linearicl.experiments.results;

import java.util.List;
import org.linearicl.core.model.Variant;
import org.linearicl.core.util.Require;

/**
 * The selection for one (variant, layers): the seed with the lowest validation loss among the
 * stable ones (the paper reports the best of its seeds; an unstable seed is chosen only when no
 * seed is stable) and the spread over all seeds.
 *
 * @param best the chosen seed's stage
 * @param seeds the stages of every seed
 * @param unstable how many of them failed their tail check
 * @param acrossSeeds mean and standard error over the seeds of their adjusted evaluation losses
 *     (NaN standard error for one seed)
 * @param perLayerAcrossSeeds the same for the read-out after each layer K = 1..L (fig. 5)
 */
public record Choice(Variant variant, int layers, String best, List<String> seeds,
    int unstable, Estimate acrossSeeds, Series perLayerAcrossSeeds) {
  public Choice {
    Require.nonNull("variant", variant, "best", best, "acrossSeeds", acrossSeeds,
        "perLayerAcrossSeeds", perLayerAcrossSeeds);
    seeds = List.copyOf(seeds);
  }
}
