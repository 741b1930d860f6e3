package org.linearicl.experiments.artifacts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.AdamConfig;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingCurve;

/**
 * The checkpoint document, format {@value #FORMAT}: model (variant, shapes, the attention-scale
 * convention, parameters), the full training config, the training curve and the final
 * evaluation. Doubles are written in their shortest round-trip text, so
 * {@code read(write(c))} restores every parameter bit for bit.
 */
public final class CheckpointJson {
  public static final String FORMAT = "linear-icl-checkpoint/2";

  /** The attention-scale convention of ModelShape, recorded so weights are never misread. */
  public static final String ATTENTION_SCALE = "1/n";

  private CheckpointJson() {}

  public static String write(Checkpoint c) {
    TrainingConfig cfg = c.config();
    ModelShape shape = cfg.shape();
    return Json.writeDocument(FORMAT, g -> {
      g.writeObjectFieldStart("model");
      g.writeStringField("variant", shape.variant().cliName());
      g.writeNumberField("layers", shape.layers());
      g.writeNumberField("heads", shape.heads());
      g.writeNumberField("d", shape.d());
      g.writeStringField("attention_scale", ATTENTION_SCALE);
      g.writeFieldName("params");
      Json.numbers(g, c.params());
      g.writeEndObject();
      writeConfig(g, cfg);
      g.writeObjectFieldStart("curve");
      g.writeFieldName("step");
      g.writeArray(c.curve().step(), 0, c.curve().size());
      g.writeFieldName("loss");
      Json.numbers(g, c.curve().loss());
      g.writeEndObject();
      g.writeObjectFieldStart("evaluation");
      g.writeNumberField("samples", c.evalSamples());
      g.writeNumberField("seed", c.evalSeed());
      OutcomeJson.writeSummary(g, "loss", c.evaluation().loss());
      OutcomeJson.writeSummary(g, "oracle_loss", c.evaluation().oracle());
      OutcomeJson.writeSummary(g, "adjusted_loss", c.evaluation().adjusted());
      g.writeEndObject();
    });
  }

  /** Writes the training config as the object field {@code config}. */
  public static void writeConfig(JsonGenerator g, TrainingConfig cfg) throws IOException {
    g.writeObjectFieldStart("config");
    g.writeStringField("variant", cfg.variant().cliName());
    g.writeNumberField("layers", cfg.layers());
    g.writeNumberField("heads", cfg.heads());
    g.writeObjectFieldStart("task");
    g.writeNumberField("d", cfg.task().d());
    g.writeNumberField("n", cfg.task().n());
    g.writeStringField("noise", cfg.task().noise().spec());
    g.writeEndObject();
    g.writeNumberField("seed", cfg.seed());
    g.writeNumberField("starts", cfg.starts());
    g.writeNumberField("steps", cfg.steps());
    g.writeNumberField("batch", cfg.batchSize());
    g.writeObjectFieldStart("adam");
    Json.field(g, "lr", cfg.adam().lr());
    Json.field(g, "beta1", cfg.adam().beta1());
    Json.field(g, "beta2", cfg.adam().beta2());
    Json.field(g, "eps", cfg.adam().eps());
    g.writeEndObject();
    g.writeStringField("schedule", cfg.schedule().spec());
    Json.field(g, "clip_norm", cfg.clipNorm());
    Json.field(g, "init_std", cfg.initStd());
    g.writeNumberField("warm_steps", cfg.warmSteps());
    Json.field(g, "warm_lr", cfg.warmLr());
    g.writeNumberField("polish_samples", cfg.polishSamples());
    g.writeNumberField("polish_iterations", cfg.polishIterations());
    g.writeNumberField("polish_max_params", cfg.polishMaxParams());
    g.writeNumberField("validation_samples", cfg.validationSamples());
    g.writeNumberField("validation_seed", cfg.validationSeed());
    g.writeNumberField("tail_samples", cfg.tailSamples());
    g.writeNumberField("tail_repairs", cfg.tailRepairs());
    g.writeNumberField("curve_every", cfg.curveEvery());
    g.writeEndObject();
  }

  /**
   * Reads a checkpoint.
   *
   * @param source the file name, for error messages
   * @throws ArtifactFormatException naming the source and field when anything is off
   */
  public static Checkpoint read(String text, String source) {
    Json.Reader root = Json.document(text, source, FORMAT);
    Json.Reader model = root.object("model");
    if (!ATTENTION_SCALE.equals(model.string("attention_scale"))) {
      throw new ArtifactFormatException(source + ": field 'model.attention_scale' must be '"
          + ATTENTION_SCALE + "'");
    }
    TrainingConfig cfg = readConfig(root);
    ModelShape shape = cfg.shape();
    if (!model.string("variant").equals(shape.variant().cliName())
        || model.int32("layers") != shape.layers() || model.int32("heads") != shape.heads()
        || model.int32("d") != shape.d()) {
      throw new ArtifactFormatException(source + ": 'model' shape disagrees with 'config'");
    }
    double[] params = model.numbers("params");
    if (params.length != shape.size()) {
      throw new ArtifactFormatException(source + ": field 'model.params' has " + params.length
          + " numbers, expected " + shape.size() + " for " + shape);
    }
    Json.Reader curve = root.object("curve");
    Json.Reader eval = root.object("evaluation");
    try {
      return new Checkpoint(cfg, params,
          new TrainingCurve(curve.integers("step"), curve.numbers("loss")),
          eval.int32("samples"), eval.integer("seed"),
          new PairedEvaluation(OutcomeJson.readSummary(eval.object("loss")),
              OutcomeJson.readSummary(eval.object("oracle_loss")),
              OutcomeJson.readSummary(eval.object("adjusted_loss"))));
    } catch (IllegalArgumentException e) {
      if (e instanceof ArtifactFormatException afe) {
        throw afe;
      }
      throw new ArtifactFormatException(source + ": " + e.getMessage(), e);
    }
  }

  /** Reads the object field {@code config} of {@code parent}. */
  public static TrainingConfig readConfig(Json.Reader parent) {
    Json.Reader c = parent.object("config");
    Json.Reader task = c.object("task");
    Json.Reader adam = c.object("adam");
    Variant variant;
    NoiseDistribution noise;
    Schedule schedule;
    try {
      variant = Variant.parse(c.string("variant"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("variant", e);
    }
    try {
      noise = NoiseDistribution.parse(task.string("noise"));
    } catch (IllegalArgumentException e) {
      throw task.invalid("noise", e);
    }
    try {
      schedule = Schedule.parse(c.string("schedule"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("schedule", e);
    }
    try {
      return TrainingConfig.builder(variant, c.int32("layers"),
              new TaskSpec(task.int32("d"), task.int32("n"), noise))
          .heads(c.int32("heads"))
          .seed(c.integer("seed"))
          .starts(c.int32("starts"))
          .steps(c.integer("steps"))
          .batchSize(c.int32("batch"))
          .adam(new AdamConfig(adam.number("lr"), adam.number("beta1"), adam.number("beta2"),
              adam.number("eps")))
          .schedule(schedule)
          .clipNorm(c.number("clip_norm"))
          .initStd(c.number("init_std"))
          .warmSteps(c.integer("warm_steps"))
          .warmLr(c.number("warm_lr"))
          .polishSamples(c.int32("polish_samples"))
          .polishIterations(c.int32("polish_iterations"))
          .polishMaxParams(c.int32("polish_max_params"))
          .validationSamples(c.int32("validation_samples"))
          .validationSeed(c.integer("validation_seed"))
          .tailSamples(c.int32("tail_samples"))
          .tailRepairs(c.int32("tail_repairs"))
          .curveEvery(c.int32("curve_every"))
          .build();
    } catch (ArtifactFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw c.invalid("", e);
    }
  }
}
