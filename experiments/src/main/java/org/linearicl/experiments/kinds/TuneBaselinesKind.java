package org.linearicl.experiments.kinds;

import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.baselines.BaselineStudy;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * {@code tune-baselines}: tunes ConstRR's lambda, TunedRR's factor and threshold and the GD
 * estimator's step size for K = 1..max_k on sequences of their own (stream TUNING), never on
 * the evaluation sequences. Artifact: {@value ResultsJson#BASELINES_FILE}.
 */
public final class TuneBaselinesKind extends DeclaredKind {
  private static final Logger LOG = LogManager.getLogger(TuneBaselinesKind.class);

  public TuneBaselinesKind() {
    super("tune-baselines",
        1,
        "tunes the ridge baselines and the GD estimator for one noise distribution",
        Kinds.with(List.of(
            ParamSpec.optional("samples", ParamType.INTEGER, "100000", "tuning sequences"),
            ParamSpec.optional("seed", ParamType.INTEGER, "0", "seed of the tuning sequences"),
            ParamSpec.optional("max_k", ParamType.INTEGER, "10",
                "largest K of the GD estimator"))));
  }

  /** The parameters, checked. */
  private record Settings(TaskSpec task, int samples, int maxK) {
    static Settings of(StageParams p) {
      return new Settings(Kinds.task(p), p.atLeast("samples", 2),
          p.atLeast("max_k", 1));
    }
  }

  @Override
  public void check(StageParams p) {
    Settings.of(p);
  }

  @Override
  public Artifact run(StageParams p, StageInputs inputs, StageContext ctx) {
    Settings s = Settings.of(p);
    int samples = s.samples();
    try (ChunkedExecutor executor = new ChunkedExecutor(ctx.threads())) {
      ctx.progress(0.0, "tuning on " + samples + " sequences");
      TunedBaselines t = BaselineStudy.tune(s.task(), samples, p.integer("seed"), s.maxK(),
          executor);
      LOG.info(String.format(Locale.ROOT, "%s: ConstRR lambda %.4g, TunedRR c %.4g t %.4g",
          ctx.stageName(), t.constLambda(), t.tunedFactor(), t.tunedThreshold()));
      return Artifact.ofText(ResultsJson.BASELINES_FILE, ResultsJson.writeBaselines(t));
    }
  }
}
