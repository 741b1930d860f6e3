package org.linearicl.experiments.results;

import java.util.List;
import java.util.Objects;

/**
 * The selection for one (variant, layers): the seed with the lowest validation loss (the paper
 * reports the best of its seeds) and the spread over all seeds.
 *
 * @param best the chosen seed's stage, or null when every seed diverged
 * @param seeds the stages of every seed
 * @param diverged how many of them diverged
 * @param acrossSeeds mean and standard error over the non-diverged seeds of their adjusted
 *     evaluation losses (NaN standard error for one seed; null when none succeeded)
 * @param perLayerAcrossSeeds the same for the read-out after each layer K = 1..L (fig. 5)
 */
public record Choice(String variant, int layers, String best, List<String> seeds, int diverged,
    Estimate acrossSeeds, Series perLayerAcrossSeeds) {
  public Choice {
    Objects.requireNonNull(variant, "variant");
    seeds = List.copyOf(seeds);
  }
}
