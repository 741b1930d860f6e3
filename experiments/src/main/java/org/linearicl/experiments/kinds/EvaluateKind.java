package org.linearicl.experiments.kinds;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.linearicl.baselines.BaselineStudy;
import org.linearicl.baselines.Predictor;
import org.linearicl.baselines.SpectralBatch;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.experiments.artifacts.CheckpointJson;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.results.Estimate;
import org.linearicl.experiments.results.Evaluation;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.PredictorResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Series;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * {@code evaluate}: every model and baseline of one noise distribution on one shared set of fresh
 * sequences (stream EVALUATION, {@code seed}; docs/method.md, evaluation): loss, adjusted loss
 * against the oracle on the same sequences, the prediction read out after every layer, and
 * per-variance profiles at fixed sigmas on a grid over [0, sigma_max + 1] ([0, 6] for categorical;
 * [0, profile_max] when given).
 *
 * <p>Needs exactly one tune-baselines stage and any number of train stages of this noise
 * distribution. Artifact: {@value ResultsJson#EVALUATION_FILE}.
 */
public final class EvaluateKind extends DeclaredKind {
  /** The phases of the stage's time: the sequences, oracle and baselines; then the models. */
  public static final String BASELINES_PHASE = "baselines";
  public static final String MODELS_PHASE = "models";

  public EvaluateKind() {
    super("evaluate",
        4, // 2: a second evaluation set; models carry their tail checks; 3: the tail codec of
        // outcome.json; 4: per-layer steps with their paired standard errors; profile_max
        "evaluates the models and baselines of one noise distribution on shared sequences",
        Kinds.with(List.of(
            ParamSpec.optional("samples", ParamType.INTEGER, "100000", "evaluation sequences"),
            ParamSpec.optional("seed", ParamType.INTEGER, "1", "seed of the evaluation sequences"),
            ParamSpec.optional("confirm_samples", ParamType.INTEGER, "100000",
                "sequences of the second, independent evaluation set"),
            ParamSpec.optional("confirm_seed", ParamType.INTEGER, "3",
                "seed of the second evaluation set (differs from seed and the validation seed)"),
            ParamSpec.optional("profile_points", ParamType.INTEGER, "17",
                "sigmas of the per-variance profile"),
            ParamSpec.optional("profile_max", ParamType.NUMBER, "0",
                "upper end of the profile grid [0, profile_max]; 0: sigma_max + 1, at least 6"
                    + " for categorical"),
            ParamSpec.optional("profile_samples", ParamType.INTEGER, "20000",
                "sequences per profile sigma"))));
  }

  /**
   * Checks {@code p} as {@link #run} does, computing nothing: a command that tunes the baselines
   * before it evaluates reports a bad value before that work.
   */
  public static void checkParams(StageParams p) {
    Settings.of(p);
  }

  @Override
  public void check(StageParams p) {
    checkParams(p);
  }

  /**
   * The parameters that name the task (noise, d, n) as pipeline.yaml gives them: a command
   * evaluates a model on the task it was trained on.
   */
  public static ObjectNode taskParams(TaskSpec task) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put(Kinds.NOISE.name(), task.noise().spec());
    o.put(Kinds.D.name(), task.d());
    o.put(Kinds.N.name(), task.n());
    return o;
  }

  /** The parameters, checked. */
  private record Settings(TaskSpec task, int samples, long seed, int confirmSamples,
      long confirmSeed, int profileSamples, double[] sigmas) {
    static Settings of(StageParams p) {
      TaskSpec task = Kinds.task(p);
      int samples = p.atLeast("samples", 2);
      long seed = p.integer("seed");
      int confirmSamples = p.atLeast("confirm_samples", 2);
      long confirmSeed = p.integer("confirm_seed");
      if (confirmSeed == seed) {
        throw p.invalid("confirm_seed", new IllegalArgumentException("must differ from seed "
            + seed + ": the second evaluation set has to be independent of the first"));
      }
      int profileSamples = p.atLeast("profile_samples", 2);
      int points = p.atLeast("profile_points", 2);
      double max = p.number("profile_max");
      if (!(max >= 0) || Double.isInfinite(max)) {
        throw p.invalid("profile_max", new IllegalArgumentException("must be a finite number"
            + " >= 0 (0: the standard grid), got " + max));
      }
      double[] sigmas = max == 0 ? task.noise().profileGrid(points)
          : NoiseDistribution.profileGrid(max, points);
      return new Settings(task, samples, seed, confirmSamples, confirmSeed, profileSamples,
          sigmas);
    }
  }

  @Override
  public Artifact run(StageParams p, StageInputs inputs, StageContext ctx) {
    Settings s = Settings.of(p);
    TaskSpec task = s.task();
    NoiseDistribution noise = task.noise();
    int samples = s.samples();
    long seed = s.seed();
    int confirmSamples = s.confirmSamples();
    long confirmSeed = s.confirmSeed();
    int profileSamples = s.profileSamples();
    double[] sigmas = s.sigmas();

    TunedBaselines tuned = null;
    List<Model> models = new ArrayList<>();
    for (Map.Entry<String, Artifact> in : inputs.all().entrySet()) {
      String stage = in.getKey();
      Artifact a = in.getValue();
      if (a.has(ResultsJson.BASELINES_FILE)) {
        if (tuned != null) {
          throw new StageException("stage '" + p.stage() + "' needs one tune-baselines stage,"
              + " found a second in '" + stage + "'");
        }
        tuned = ResultsJson.readBaselines(a.text(ResultsJson.BASELINES_FILE),
            stage + "/" + ResultsJson.BASELINES_FILE);
        requireNoise(p, stage, tuned.noise());
      } else if (a.has(ResultsJson.CHECKPOINT_FILE)) {
        Model m = Model.read(stage, a);
        requireNoise(p, stage, m.config.task().noise());
        if (m.config.task().d() != task.d() || m.config.task().n() != task.n()) {
          throw new StageException("stage '" + p.stage() + "': model '" + stage
              + "' was trained with d, n = " + m.config.task().d() + ", " + m.config.task().n()
              + ", expected " + task.d() + ", " + task.n());
        }
        models.add(m);
      } else {
        throw new StageException("stage '" + p.stage() + "': input '" + stage + "' is neither"
            + " a train nor a tune-baselines artifact (files " + a.names() + ")");
      }
    }
    if (tuned == null) {
      throw new StageException("stage '" + p.stage() + "' needs a tune-baselines stage for "
          + noise.spec());
    }
    // the paper's row order: GD++, DIAG, FULL
    models.sort(Comparator.comparingInt((Model m) -> List.of(Variant.GDPP, Variant.DIAG,
            Variant.FULL).indexOf(m.config.variant()))
        .thenComparingInt(m -> m.config.layers()).thenComparingLong(m -> m.config.seed())
        .thenComparing(m -> m.stage));

    try (ChunkedExecutor executor = new ChunkedExecutor(ctx.threads())) {
      TaskSampler sampler = new TaskSampler(task);
      ctx.progress(0.0, "baselines");
      long mark = System.nanoTime();
      Batch eval = sampler.sample(samples, seed, Streams.Purpose.EVALUATION, 0);
      double[] oracle = Evaluator.oraclePredictions(eval, executor);
      Batch confirm = sampler.sample(confirmSamples, confirmSeed, Streams.Purpose.EVALUATION, 0);
      double[] confirmOracle = Evaluator.oraclePredictions(confirm, executor);
      SpectralBatch spectral = SpectralBatch.of(eval, executor);
      List<Predictor> predictors = BaselineStudy.predictors(tuned);
      Map<String, PairedEvaluation> overall = BaselineStudy.evaluate(predictors, spectral);
      Map<String, PairedEvaluation[]> profiles = BaselineStudy.profile(predictors, task, sigmas,
          profileSamples, seed, executor);
      List<PredictorResult> baselines = new ArrayList<>();
      for (Predictor pr : predictors) {
        PairedEvaluation[] prof = profiles.get(pr.name());
        baselines.add(new PredictorResult(pr.name(), Estimate.of(overall.get(pr.name()).loss()),
            Estimate.of(overall.get(pr.name()).adjusted()), series(prof, false),
            series(prof, true)));
      }
      PairedEvaluation[] gdByK = new PairedEvaluation[tuned.gdEta().length];
      for (int k = 1; k <= gdByK.length; k++) {
        // one at a time: every K has the predictor name "gd"
        gdByK[k - 1] = BaselineStudy.evaluate(List.of(tuned.gd(k)), spectral).get("gd");
      }

      // the profile sequences, drawn once and shared by every model
      Batch[] profileBatches = new Batch[sigmas.length];
      double[][] profileOracle = new double[sigmas.length][];
      for (int i = 0; i < sigmas.length; i++) {
        profileBatches[i] = sampler.sampleAtSigma(profileSamples, seed,
            Streams.Purpose.EVALUATION, 0, sigmas[i]);
        profileOracle[i] = Evaluator.oraclePredictions(profileBatches[i], executor);
      }
      long now = System.nanoTime();
      ctx.time(BASELINES_PHASE, (now - mark) * 1e-9);
      mark = now;
      List<ModelResult> results = new ArrayList<>();
      for (int k = 0; k < models.size(); k++) {
        Model m = models.get(k);
        ctx.progress((k + 1.0) / (models.size() + 1.0), "model " + m.stage);
        results.add(m.evaluate(eval, oracle, confirm, confirmOracle, profileBatches,
            profileOracle, executor));
      }
      ctx.time(MODELS_PHASE, (System.nanoTime() - mark) * 1e-9);
      Evaluation e = new Evaluation(noise.spec(), noise.paperKey(), task.d(), task.n(),
          samples, seed, sigmas, profileSamples,
          Estimate.of(PairedEvaluation.of(oracle, oracle, eval.yq).loss()), tuned, baselines,
          series(gdByK, true), results);
      return Artifact.ofText(ResultsJson.EVALUATION_FILE, ResultsJson.writeEvaluation(e));
    }
  }

  /**
   * For each layer K = 1..L, the per-sequence change of the loss from the read-out after layer
   * K-1 to the one after layer K (after layer 0 the prediction is zero: no layer has written the
   * query's label slot): its mean and paired standard error. The oracle's loss cancels in the
   * difference, so this is the step of the adjusted loss and its standard error.
   *
   * @param perLayer the predictions after every layer, {@code [layers][sequences]}
   * @param targets the query targets y_t
   */
  public static Series layerSteps(double[][] perLayer, double[] targets) {
    double[] mean = new double[perLayer.length];
    double[] se = new double[perLayer.length];
    double[] diff = new double[targets.length];
    for (int l = 0; l < perLayer.length; l++) {
      for (int s = 0; s < targets.length; s++) {
        double before = (l == 0 ? 0.0 : perLayer[l - 1][s]) - targets[s];
        double after = perLayer[l][s] - targets[s];
        diff[s] = 0.5 * after * after - 0.5 * before * before;
      }
      LossSummary d = LossSummary.of(diff);
      mean[l] = d.mean();
      se[l] = d.standardError();
    }
    return new Series(mean, se);
  }

  private static void requireNoise(StageParams p, String stage, NoiseDistribution actual) {
    NoiseDistribution expected = Kinds.noise(p);
    if (!actual.equals(expected)) {
      throw new StageException("stage '" + p.stage() + "' evaluates " + expected.spec()
          + ", but its input '" + stage + "' is for " + actual.spec());
    }
  }

  private static Series series(PairedEvaluation[] evals, boolean adjusted) {
    double[] mean = new double[evals.length];
    double[] se = new double[evals.length];
    for (int i = 0; i < evals.length; i++) {
      var s = adjusted ? evals[i].adjusted() : evals[i].loss();
      mean[i] = s.mean();
      se[i] = s.standardError();
    }
    return new Series(mean, se);
  }

  /** A train stage's artifact: its checkpoint and the outcome of its training. */
  private record Model(String stage, TrainingConfig config, Checkpoint checkpoint,
      OutcomeJson.Summary outcome) {
    static Model read(String stage, Artifact a) {
      Checkpoint c = CheckpointJson.read(a.text(ResultsJson.CHECKPOINT_FILE),
          stage + "/" + ResultsJson.CHECKPOINT_FILE);
      if (!a.has(OutcomeJson.FILE)) {
        throw new StageException("train artifact '" + stage + "' has no " + OutcomeJson.FILE);
      }
      OutcomeJson.Summary o = OutcomeJson.read(a.text(OutcomeJson.FILE),
          stage + "/" + OutcomeJson.FILE);
      return new Model(stage, c.config(), c, o);
    }

    ModelResult evaluate(Batch eval, double[] oracle, Batch confirm, double[] confirmOracle,
        Batch[] profileBatches, double[][] profileOracle, ChunkedExecutor executor) {
      LinearTransformer model = checkpoint.model();
      int layers = config.layers();
      double[][] perLayer = Evaluator.predictAfterEachLayer(model, eval, executor);
      PairedEvaluation[] byLayer = new PairedEvaluation[layers];
      for (int l = 0; l < layers; l++) {
        byLayer[l] = PairedEvaluation.of(perLayer[l], oracle, eval.yq);
      }
      PairedEvaluation second = Evaluator.evaluate(model, confirm, confirmOracle, executor);
      PairedEvaluation[][] profile = new PairedEvaluation[layers][profileBatches.length];
      PairedEvaluation[] profileFinal = new PairedEvaluation[profileBatches.length];
      for (int i = 0; i < profileBatches.length; i++) {
        double[][] pl = Evaluator.predictAfterEachLayer(model, profileBatches[i], executor);
        for (int l = 0; l < layers; l++) {
          profile[l][i] = PairedEvaluation.of(pl[l], profileOracle[i], profileBatches[i].yq);
        }
        profileFinal[i] = profile[layers - 1][i];
      }
      List<Series> profileByLayer = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        profileByLayer.add(series(profile[l], true));
      }
      PairedEvaluation fin = byLayer[layers - 1];
      return new ModelResult(stage, config.variant(), layers, config.heads(), config.seed(),
          outcome.stable() ? ModelResult.Status.STABLE : ModelResult.Status.UNSTABLE,
          outcome.chosen(), outcome.adamSteps(), outcome.rejectedSteps(),
          outcome.trainSequences(), checkpoint.evaluation().adjusted().mean(), outcome.tail(),
          Estimate.of(fin.loss()), Estimate.of(fin.adjusted()), Estimate.of(second.adjusted()),
          series(byLayer, true), layerSteps(perLayer, eval.yq), series(profileFinal, false),
          profileByLayer);
    }
  }
}
