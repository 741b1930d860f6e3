package org.linearicl.experiments.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One kind of pipeline stage (train, tune-baselines, evaluate, table1, ...).
 *
 * <p>A kind is a pure function: {@link #run} may read only its parameters and inputs (no files,
 * no clock, no environment other than {@link StageContext#threads()}, which must not change the
 * result), so that the runner can cache its artifact under a key made of {@link #name()}, {@link
 * #version()}, the canonical parameters and the input digests. Bump {@link #version()} whenever
 * the artifact a given (params, inputs) produces changes; that invalidates exactly this kind's
 * cache entries and those downstream of them.
 *
 * <p>Implementations have a public no-argument constructor and are listed in
 * {@code META-INF/services/org.linearicl.experiments.stage.StageKind}.
 */
public interface StageKind {
  /** The name used as {@code kind:} in pipeline.yaml; lower case, words joined by '-'. */
  String name();

  /** The implementation version, part of every cache key of this kind. */
  int version();

  /** One sentence for {@code list} and error messages. */
  String description();

  /** Every parameter the kind accepts; anything else in pipeline.yaml is an error. */
  List<ParamSpec> params();

  /**
   * The given parameters with the defaults that depend on other given parameters filled in
   * (the train kind's recipe depends on the variant), before they are resolved against
   * {@link #params()}; the cache key sees the filled-in values. Must not fail: a bad value is
   * left for the resolution to report. The default fills in nothing.
   */
  default ObjectNode completeParams(ObjectNode given) {
    return given;
  }

  /**
   * Checks the values of {@code params} (every declared parameter, defaults filled in) as
   * {@link #run} checks them, computing nothing, so that a bad value is reported when the
   * pipeline is loaded rather than when the stage runs. Throws a {@link StageException} (naming
   * the parameter when it is one parameter's value). The default checks nothing beyond the
   * types.
   */
  default void check(StageParams params) {}

  /**
   * Computes the artifact. {@code params} holds every declared parameter (defaults filled in);
   * {@code inputs} the artifacts of the stages this one needs, by stage name. Throw {@link
   * StageException} for a problem the user must fix (a missing input, inconsistent params).
   */
  Artifact run(StageParams params, StageInputs inputs, StageContext context) throws Exception;

  /**
   * The parameter that seeds the kind's random draws, which the runner records as the seed of
   * each run of the kind; empty when the kind draws nothing at random. The default: the
   * parameter named {@code seed}, when the kind declares one.
   */
  default Optional<String> seedParam() {
    return params().stream().map(ParamSpec::name).filter("seed"::equals).findFirst();
  }
}
