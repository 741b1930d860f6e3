package org.linearicl.experiments.results;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.linearicl.baselines.TunedBaselines;
import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.train.TailCheck;
import org.linearicl.experiments.artifacts.ArtifactFormatException;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.artifacts.OutcomeJson;

/**
 * JSON codecs of the result artifacts: {@value #BASELINES} (the tune-baselines stage),
 * {@value #EVALUATION} (evaluate) and {@value #SELECTION} (select). Numbers are written in
 * canonical shortest text, so {@code read(write(x))} is bit-exact and the bytes are the same on
 * every machine.
 */
public final class ResultsJson {
  public static final String BASELINES = "linear-icl-baselines/1";
  public static final String EVALUATION = "linear-icl-evaluation/3";
  public static final String SELECTION = "linear-icl-selection/3";

  /** The checkpoint file of a train stage's artifact (a CheckpointJson). */
  public static final String CHECKPOINT_FILE = "checkpoint.json";
  /** The file of a tune-baselines artifact. */
  public static final String BASELINES_FILE = "baselines.json";
  /** The file of an evaluate artifact. */
  public static final String EVALUATION_FILE = "evaluation.json";
  /** The file of a select artifact. */
  public static final String SELECTION_FILE = "selection.json";

  private ResultsJson() {}

  // ---- tuned baselines

  public static String writeBaselines(TunedBaselines t) {
    return Json.writeDocument(BASELINES, g -> tuned(g, t));
  }

  public static TunedBaselines readBaselines(String text, String source) {
    Json.Reader r = Json.document(text, source, BASELINES);
    return tuned(r);
  }

  private static void tuned(JsonGenerator g, TunedBaselines t) throws IOException {
    g.writeStringField("noise", t.noise().spec());
    g.writeNumberField("tune_samples", t.tuneSamples());
    g.writeNumberField("tune_seed", t.tuneSeed());
    Json.field(g, "const_lambda", t.constLambda());
    Json.field(g, "tuned_factor", t.tunedFactor());
    Json.field(g, "tuned_threshold", t.tunedThreshold());
    g.writeFieldName("gd_eta");
    Json.numbers(g, t.gdEta());
  }

  private static TunedBaselines tuned(Json.Reader r) {
    return new TunedBaselines(noise(r, "noise"), r.number("const_lambda"),
        r.number("tuned_factor"), r.number("tuned_threshold"), r.numbers("gd_eta"),
        r.int32("tune_samples"), r.integer("tune_seed"));
  }

  // ---- evaluation

  public static String writeEvaluation(Evaluation e) {
    return Json.writeDocument(EVALUATION, g -> evaluation(g, e));
  }

  public static Evaluation readEvaluation(String text, String source) {
    return evaluation(Json.document(text, source, EVALUATION));
  }

  private static void evaluation(JsonGenerator g, Evaluation e) throws IOException {
    g.writeStringField("noise", e.noise());
    g.writeStringField("noise_key", e.noiseKey());
    g.writeNumberField("d", e.d());
    g.writeNumberField("n", e.n());
    g.writeNumberField("samples", e.samples());
    g.writeNumberField("seed", e.seed());
    g.writeFieldName("profile_sigma");
    Json.numbers(g, e.profileSigma());
    g.writeNumberField("profile_samples", e.profileSamples());
    estimate(g, "oracle_loss", e.oracleLoss());
    g.writeObjectFieldStart("tuned");
    tuned(g, e.tuned());
    g.writeEndObject();
    g.writeArrayFieldStart("baselines");
    for (PredictorResult p : e.baselines()) {
      g.writeStartObject();
      g.writeStringField("name", p.name());
      estimate(g, "loss", p.loss());
      estimate(g, "adjusted", p.adjusted());
      series(g, "profile_loss", p.profileLoss());
      series(g, "profile_adjusted", p.profileAdjusted());
      g.writeEndObject();
    }
    g.writeEndArray();
    series(g, "gd_by_k", e.gdByK());
    g.writeArrayFieldStart("models");
    for (ModelResult m : e.models()) {
      model(g, m);
    }
    g.writeEndArray();
  }

  private static Evaluation evaluation(Json.Reader r) {
    List<PredictorResult> baselines = new ArrayList<>();
    for (Json.Reader b : r.objects("baselines")) {
      baselines.add(new PredictorResult(b.string("name"), estimate(b.object("loss")),
          estimate(b.object("adjusted")), series(b.object("profile_loss")),
          series(b.object("profile_adjusted"))));
    }
    List<ModelResult> models = new ArrayList<>();
    for (Json.Reader m : r.objects("models")) {
      models.add(model(m));
    }
    try {
      return new Evaluation(r.string("noise"), r.string("noise_key"), r.int32("d"),
          r.int32("n"), r.int32("samples"), r.integer("seed"), r.numbers("profile_sigma"),
          r.int32("profile_samples"), estimate(r.object("oracle_loss")),
          tuned(r.object("tuned")), baselines, series(r.object("gd_by_k")), models);
    } catch (ArtifactFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw r.invalid("", e);
    }
  }

  /** A model's variant, layers, heads, seed and status as fields, as every model entry has them. */
  public static void modelFields(JsonGenerator g, ModelResult m) throws IOException {
    g.writeStringField("variant", m.variant().cliName());
    g.writeNumberField("layers", m.layers());
    g.writeNumberField("heads", m.heads());
    g.writeNumberField("seed", m.seed());
    g.writeStringField("status", m.status().text());
  }

  private static void model(JsonGenerator g, ModelResult m) throws IOException {
    g.writeStartObject();
    g.writeStringField("stage", m.stage());
    modelFields(g, m);
    g.writeStringField("chosen", m.chosen());
    g.writeNumberField("adam_steps", m.adamSteps());
    g.writeNumberField("rejected_steps", m.rejectedSteps());
    g.writeNumberField("train_sequences", m.trainSequences());
    Json.field(g, "validation_adjusted", m.validationAdjusted());
    if (m.tail() != null) {
      OutcomeJson.writeTail(g, m.tail());
    }
    estimate(g, "loss", m.loss());
    estimate(g, "adjusted", m.adjusted());
    estimate(g, "confirm_adjusted", m.confirm());
    series(g, "per_layer_adjusted", m.perLayerAdjusted());
    series(g, "per_layer_diff", m.perLayerDiff());
    series(g, "profile_loss", m.profileLoss());
    g.writeArrayFieldStart("profile_adjusted_by_layer");
    for (Series s : m.profileAdjustedByLayer()) {
      series(g, null, s);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static ModelResult model(Json.Reader m) {
    List<Series> byLayer = new ArrayList<>();
    for (Json.Reader s : m.objects("profile_adjusted_by_layer")) {
      byLayer.add(series(s));
    }
    try {
      TailCheck.Stats tail = m.has("tail") ? OutcomeJson.readTail(m.object("tail")) : null;
      return new ModelResult(m.string("stage"), Variant.parse(m.string("variant")),
          m.int32("layers"), m.int32("heads"), m.integer("seed"),
          ModelResult.Status.parse(m.string("status")), m.string("chosen"),
          m.integer("adam_steps"), m.integer("rejected_steps"), m.integer("train_sequences"),
          m.number("validation_adjusted"), tail, estimate(m.object("loss")),
          estimate(m.object("adjusted")), estimate(m.object("confirm_adjusted")),
          series(m.object("per_layer_adjusted")), series(m.object("per_layer_diff")),
          series(m.object("profile_loss")), byLayer);
    } catch (ArtifactFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw m.invalid("", e);
    }
  }

  // ---- selection

  public static String writeSelection(Selection s) {
    return Json.writeDocument(SELECTION, g -> {
      g.writeArrayFieldStart("choices");
      for (Choice c : s.choices()) {
        g.writeStartObject();
        g.writeStringField("variant", c.variant().cliName());
        g.writeNumberField("layers", c.layers());
        g.writeStringField("best", c.best());
        g.writeArrayFieldStart("seeds");
        for (String seed : c.seeds()) {
          g.writeString(seed);
        }
        g.writeEndArray();
        g.writeNumberField("unstable", c.unstable());
        estimate(g, "across_seeds", c.acrossSeeds());
        series(g, "per_layer_across_seeds", c.perLayerAcrossSeeds());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("evaluation");
      evaluation(g, s.evaluation());
      g.writeEndObject();
    });
  }

  public static Selection readSelection(String text, String source) {
    Json.Reader r = Json.document(text, source, SELECTION);
    List<Choice> choices = new ArrayList<>();
    for (Json.Reader c : r.objects("choices")) {
      Variant variant;
      try {
        variant = Variant.parse(c.string("variant"));
      } catch (IllegalArgumentException e) {
        throw c.invalid("variant", e);
      }
      choices.add(new Choice(variant, c.int32("layers"), c.string("best"), c.strings("seeds"),
          c.int32("unstable"), estimate(c.object("across_seeds")),
          series(c.object("per_layer_across_seeds"))));
    }
    return new Selection(evaluation(r.object("evaluation")), choices);
  }

  /** The selection in a select stage's artifact. */
  public static Selection selection(org.linearicl.experiments.stage.Artifact a, String stage) {
    return readSelection(a.text(SELECTION_FILE), stage + "/" + SELECTION_FILE);
  }

  /** The evaluation in an evaluate stage's artifact. */
  public static Evaluation evaluation(org.linearicl.experiments.stage.Artifact a, String stage) {
    return readEvaluation(a.text(EVALUATION_FILE), stage + "/" + EVALUATION_FILE);
  }

  // ---- pieces

  private static NoiseDistribution noise(Json.Reader r, String field) {
    try {
      return NoiseDistribution.parse(r.string(field));
    } catch (IllegalArgumentException e) {
      throw r.invalid(field, e);
    }
  }

  private static void estimate(JsonGenerator g, String name, Estimate e) throws IOException {
    Json.estimate(g, name, e.mean(), e.se(), e.count());
  }

  private static Estimate estimate(Json.Reader r) {
    return new Estimate(r.number("mean"), r.number("se"), r.integer("count"));
  }

  private static void series(JsonGenerator g, String name, Series s) throws IOException {
    if (name == null) {
      g.writeStartObject();
    } else {
      g.writeObjectFieldStart(name);
    }
    g.writeFieldName("mean");
    Json.numbers(g, s.mean());
    g.writeFieldName("se");
    Json.numbers(g, s.se());
    g.writeEndObject();
  }

  private static Series series(Json.Reader r) {
    try {
      return new Series(r.numbers("mean"), r.numbers("se"));
    } catch (ArtifactFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw r.invalid("", e);
    }
  }
}
