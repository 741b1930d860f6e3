package org.linearicl.experiments.artifacts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.linearicl.core.eval.LossSummary;
import org.linearicl.core.train.OffRangeCheck;
import org.linearicl.core.train.TailCheck;
import org.linearicl.core.train.Training;

/**
 * The outcome document of a train stage, format {@value #FORMAT}, beside its checkpoint: whether
 * the model is stable, whether it passed its off-range check ({@code off_range_passed}: false
 * only when no candidate passed both checks, true also without a check), which candidate was
 * chosen, and every candidate with its Adam steps (taken and rejected), its polish, its
 * validation loss and, where it had them, its off-range and tail checks. No wall times, so equal
 * runs give equal bytes.
 */
public final class OutcomeJson {
  public static final String FILE = "outcome.json";
  public static final String FORMAT = "linear-icl-outcome/1";
  public static final String STABLE = "stable";
  public static final String UNSTABLE = "unstable";

  private OutcomeJson() {}

  /**
   * What the evaluation reads back: the status and the chosen model's checks and steps (an
   * outcome written before the off-range check reads as passed, with no check).
   */
  public record Summary(boolean stable, boolean offRangePassed, String chosen,
      OffRangeCheck.Stats offRange, TailCheck.Stats tail, long adamSteps, long rejectedSteps,
      long trainSequences) {}

  public static String write(Training.Outcome o) {
    return Json.writeDocument(FORMAT, g -> {
      g.writeStringField("status", o.stable() ? STABLE : UNSTABLE);
      g.writeBooleanField("off_range_passed", o.offRangePassed());
      g.writeStringField("chosen", o.choice().name());
      g.writeNumberField("rejected_steps", o.rejectedSteps());
      g.writeNumberField("train_sequences", o.trainSequences());
      g.writeArrayFieldStart("candidates");
      for (Training.Candidate c : o.candidates()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeNumberField("adam_steps", c.adamSteps());
        g.writeNumberField("rejected_steps", c.rejectedSteps());
        g.writeNumberField("polish_iterations", c.polishIterations());
        Json.field(g, "polish_loss", c.polishLoss());
        writeSummary(g, "validation_loss", c.validation().loss());
        writeSummary(g, "validation_adjusted", c.validation().adjusted());
        if (c.offRange() != null) {
          writeOffRange(g, c.offRange());
        }
        if (c.tail() != null) {
          writeTail(g, c.tail());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /** Writes an off-range check as the object field {@code off_range}. */
  public static void writeOffRange(JsonGenerator g, OffRangeCheck.Stats o) throws IOException {
    g.writeObjectFieldStart("off_range");
    g.writeNumberField("points", o.points());
    g.writeNumberField("samples", o.samples());
    g.writeBooleanField("passed", o.passed());
    Json.field(g, "worst_ratio", o.worstRatio());
    Json.field(g, "worst_sigma", o.worstSigma());
    Json.field(g, "worst_adjusted", o.worstAdjusted());
    Json.field(g, "worst_bound", o.worstBound());
    g.writeEndObject();
  }

  /** Reads what {@link #writeOffRange} wrote (the object of the field {@code off_range}). */
  public static OffRangeCheck.Stats readOffRange(Json.Reader o) {
    return new OffRangeCheck.Stats(o.int32("points"), o.int32("samples"), o.bool("passed"),
        o.number("worst_ratio"), o.number("worst_sigma"), o.number("worst_adjusted"),
        o.number("worst_bound"));
  }

  /** Writes a tail check as the object field {@code tail}: the one codec of the statistics. */
  public static void writeTail(JsonGenerator g, TailCheck.Stats t) throws IOException {
    g.writeObjectFieldStart("tail");
    g.writeNumberField("samples", t.samples());
    g.writeNumberField("round", t.round());
    writeSummary(g, "loss", t.loss());
    writeSummary(g, "adjusted", t.adjusted());
    Json.field(g, "max_loss", t.maxLoss());
    g.writeNumberField("tail_count", t.tailCount());
    Json.field(g, "tail_share", t.tailShare());
    g.writeNumberField("exploded_count", t.explodedCount());
    Json.field(g, "exploded_share", t.explodedShare());
    g.writeBooleanField("unstable", t.unstable());
    g.writeEndObject();
  }

  /** A loss summary as the object field {@code name} (outcome.json and checkpoint.json). */
  static void writeSummary(JsonGenerator g, String name, LossSummary s) throws IOException {
    Json.estimate(g, name, s.mean(), s.standardError(), s.count());
  }

  /** Reads what {@link #writeTail} wrote (the object of the field {@code tail}). */
  public static TailCheck.Stats readTail(Json.Reader t) {
    return new TailCheck.Stats(t.int32("samples"), t.int32("round"),
        readSummary(t.object("loss")), readSummary(t.object("adjusted")), t.number("max_loss"),
        t.int32("tail_count"), t.number("tail_share"), t.int32("exploded_count"),
        t.number("exploded_share"));
  }

  /** Reads what {@link #writeSummary} wrote. */
  static LossSummary readSummary(Json.Reader r) {
    return new LossSummary(r.number("mean"), r.number("se"), r.integer("count"));
  }

  /**
   * Reads the status and the chosen candidate's numbers.
   *
   * @throws ArtifactFormatException naming the source and field when anything is off
   */
  public static Summary read(String text, String source) {
    Json.Reader root = Json.document(text, source, FORMAT);
    String status = root.string("status");
    if (!STABLE.equals(status) && !UNSTABLE.equals(status)) {
      throw new ArtifactFormatException(source + ": field 'status' is '" + status
          + "', expected '" + STABLE + "' or '" + UNSTABLE + "'");
    }
    String chosen = root.string("chosen");
    for (Json.Reader c : root.objects("candidates")) {
      if (!c.string("name").equals(chosen)) {
        continue;
      }
      TailCheck.Stats tail = c.has("tail") ? readTail(c.object("tail")) : null;
      OffRangeCheck.Stats offRange = c.has("off_range") ? readOffRange(c.object("off_range"))
          : null;
      boolean offRangePassed = !root.has("off_range_passed") || root.bool("off_range_passed");
      return new Summary(STABLE.equals(status), offRangePassed, chosen, offRange, tail,
          c.integer("adam_steps"), root.integer("rejected_steps"),
          root.integer("train_sequences"));
    }
    throw new ArtifactFormatException(source + ": the chosen candidate '" + chosen
        + "' is not among 'candidates'");
  }
}
