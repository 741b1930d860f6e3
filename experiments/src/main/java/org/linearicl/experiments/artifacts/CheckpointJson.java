package org.linearicl.experiments.artifacts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.ModelShape;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.train.Checkpoint;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingParam;
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

  /**
   * Writes the training config as the object field {@code config}: the model, then every
   * {@link TrainingParam} under its {@link TrainingParam#field()}, the task after the heads and
   * Adam's numbers in the object {@code adam} where the first of them stands.
   */
  public static void writeConfig(JsonGenerator g, TrainingConfig cfg) throws IOException {
    g.writeObjectFieldStart("config");
    g.writeStringField("variant", cfg.variant().cliName());
    g.writeNumberField("layers", cfg.layers());
    Set<String> groups = new HashSet<>();
    for (TrainingParam t : TrainingParam.values()) {
      if (t.group() == null) {
        writeParam(g, t, cfg);
      } else if (groups.add(t.group())) {
        g.writeObjectFieldStart(t.group());
        for (TrainingParam member : TrainingParam.values()) {
          if (t.group().equals(member.group())) {
            writeParam(g, member, cfg);
          }
        }
        g.writeEndObject();
      }
      if (t == TrainingParam.HEADS) {
        g.writeObjectFieldStart("task");
        g.writeNumberField("d", cfg.task().d());
        g.writeNumberField("n", cfg.task().n());
        g.writeStringField("noise", cfg.task().noise().spec());
        g.writeEndObject();
      }
    }
    g.writeEndObject();
  }

  private static void writeParam(JsonGenerator g, TrainingParam t, TrainingConfig cfg)
      throws IOException {
    Object v = t.get(cfg);
    if (v.equals(t.before())) {
      return; // what a checkpoint from before the parameter existed means: read back as such
    }
    switch (t.type()) {
      case INT -> g.writeNumberField(t.field(), (Integer) v);
      case LONG -> g.writeNumberField(t.field(), (Long) v);
      case DOUBLE -> Json.field(g, t.field(), (Double) v);
      case TEXT -> g.writeStringField(t.field(), (String) v);
    }
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
    Variant variant;
    NoiseDistribution noise;
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
    TrainingConfig.Builder b;
    try {
      b = TrainingConfig.builder(variant, c.int32("layers"),
          new TaskSpec(task.int32("d"), task.int32("n"), noise));
    } catch (ArtifactFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw c.invalid("", e);
    }
    for (TrainingParam t : TrainingParam.values()) {
      Json.Reader in = t.group() == null ? c : c.object(t.group());
      if (t.before() != null && !in.has(t.field())) {
        t.restore(b, t.before()); // written before the parameter existed
        continue;
      }
      Object value = switch (t.type()) {
        case INT -> in.int32(t.field());
        case LONG -> in.integer(t.field());
        case DOUBLE -> in.number(t.field());
        case TEXT -> in.string(t.field());
      };
      try {
        t.restore(b, value);
      } catch (IllegalArgumentException e) {
        throw in.invalid(t.field(), e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw c.invalid("", e);
    }
  }
}
