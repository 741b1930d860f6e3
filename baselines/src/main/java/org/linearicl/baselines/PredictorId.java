package org.linearicl.baselines;

import java.util.Optional;
import org.linearicl.core.model.Variant;

/**
 * Who is who among the predictors this project evaluates, in one place: the transformer variants,
 * the ridge baselines, the GD estimator and the two exact references. Each entry has
 *
 * <ul>
 *   <li>an {@link #id()}: the name in JSON, stage names, the command line and the evaluation's
 *       results ({@code const_rr}, {@code gdpp}); it is part of the on-disk formats and never
 *       changes;</li>
 *   <li>a {@link #label()}: the name in tables, figure legends and the report ({@code ConstRR},
 *       {@code GD++}), the paper's where the paper names it;</li>
 *   <li>a {@link #kind()}: a trained transformer, a baseline tuned on its own sequences, or an
 *       exact reference that knows the true noise distribution.</li>
 * </ul>
 *
 * <p>The transformer entries take their id and label from core's {@link Variant} ({@link
 * Variant#cliName()}, {@link Variant#paperName()}), which core needs on its own; the baselines'
 * {@link Predictor#name()} returns the {@link #id()} of its entry here. Notation as in
 * docs/method.md: a sequence has n context pairs (x_i, y_i) with x_i in R^d, X the n x d matrix of
 * the x_i, y the vector of the y_i, x_t the query; sigma_tau its true noise level;
 * {@code sigma_est^2 = RSS_OLS / (n - d)} the least-squares noise estimate;
 * {@code ridge(lambda) = x_t^T (X^T X + lambda I)^{-1} X^T y}.
 */
public enum PredictorId {
  /**
   * GD++: the DIAG variant with q_y = 0, i.e. a preconditioned gradient-descent step per layer
   * ({@link Variant#GDPP}). Trained; one row per layer count.
   */
  GDPP(Kind.TRANSFORMER, Variant.GDPP),

  /**
   * DIAG: P = diag(p_x I_d, p_y), Q = diag(q_x I_d, q_y) per head and layer ({@link
   * Variant#DIAG}). Trained; one row per layer count.
   */
  DIAG(Kind.TRANSFORMER, Variant.DIAG),

  /**
   * FULL: P and Q full (d+1) x (d+1) matrices per head and layer ({@link Variant#FULL}).
   * Trained; one row per layer count.
   */
  FULL(Kind.TRANSFORMER, Variant.FULL),

  /**
   * The oracle: {@code ridge(lambda = sigma_tau^2)}, ridge with the sequence's true noise
   * variance ({@link RidgePredictors#oracle()}). The posterior mean when sigma is known; every
   * adjusted loss is a loss minus the oracle's on the same sequences.
   */
  ORACLE(Kind.REFERENCE, "oracle", "oracle"),

  /**
   * ConstRR: {@code ridge(lambda)} with one lambda for every sequence, tuned per noise
   * distribution ({@link RidgePredictors#constant(double)}).
   */
  CONST_RR(Kind.BASELINE, "const_rr", "ConstRR"),

  /**
   * AdaRR: {@code ridge(lambda = sigma_est^2)}, the noise variance estimated from the sequence
   * itself ({@link RidgePredictors#adaptive()}). Nothing tuned.
   */
  ADA_RR(Kind.BASELINE, "ada_rr", "AdaRR"),

  /**
   * TunedRR: {@code ridge(lambda = c * min(sigma_est^2, t))}, AdaRR with the factor c and the
   * threshold t tuned per noise distribution ({@link RidgePredictors#tuned(double, double)}).
   */
  TUNED_RR(Kind.BASELINE, "tuned_rr", "TunedRR"),

  /**
   * Bayes-optimal: the posterior mean of y_t under w ~ N(0, I) and the noise distribution's
   * prior on sigma, {@code sum_k pi_k ridge(lambda = s_k^2)} with posterior weights pi_k ({@link
   * BayesOptimal}). The lowest loss any predictor can reach on that distribution.
   */
  BAYES(Kind.REFERENCE, "bayes", "Bayes-optimal"),

  /**
   * GD: the paper's iterative estimator of sec. 6, K gradient steps for a noise estimate and K
   * for the ridge solution, no matrix inversion, its step size tuned per K ({@link
   * GradientDescentEstimator}); the results' {@code gd} entry has K = {@link
   * BaselineStudy#GD_SUMMARY_K}.
   */
  GD(Kind.BASELINE, "gd", "GD");

  /** What a predictor is. */
  public enum Kind {
    /** A trained linear transformer: one model per layer count (and seed). */
    TRANSFORMER,
    /** A predictor that sees only the sequence, its parameters tuned on sequences of its own. */
    BASELINE,
    /** A predictor that knows the true noise (level or distribution): a yardstick, no rival. */
    REFERENCE
  }

  private final Kind kind;
  private final Variant variant;
  private final String id;
  private final String label;

  PredictorId(Kind kind, Variant variant) {
    this.kind = kind;
    this.variant = variant;
    this.id = variant.cliName();
    this.label = variant.paperName();
  }

  PredictorId(Kind kind, String id, String label) {
    this.kind = kind;
    this.variant = null;
    this.id = id;
    this.label = label;
  }

  /** The name in JSON, stage names and the results, e.g. {@code const_rr}, {@code gdpp}. */
  public String id() {
    return id;
  }

  /** The name in tables, legends and the report, e.g. {@code ConstRR}, {@code GD++}. */
  public String label() {
    return label;
  }

  /** Transformer, baseline or exact reference. */
  public Kind kind() {
    return kind;
  }

  /** Whether this is a trained transformer (whose rows have a layer count). */
  public boolean isTransformer() {
    return kind == Kind.TRANSFORMER;
  }

  /**
   * The transformer variant of a {@link Kind#TRANSFORMER} entry.
   *
   * @throws IllegalStateException for a baseline or reference
   */
  public Variant variant() {
    if (variant == null) {
      throw new IllegalStateException(label + " is a " + kind.name().toLowerCase(
          java.util.Locale.ROOT) + ", not a transformer variant");
    }
    return variant;
  }

  /** The entry of a transformer variant. */
  public static PredictorId of(Variant variant) {
    java.util.Objects.requireNonNull(variant, "variant");
    for (PredictorId p : values()) {
      if (p.variant == variant) {
        return p;
      }
    }
    throw new IllegalArgumentException("no predictor for variant " + variant);
  }

  /** The entry with this exact {@link #label()}, if any. */
  public static Optional<PredictorId> byLabel(String label) {
    for (PredictorId p : values()) {
      if (p.label.equals(label)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The entry with this exact {@link #id()}, if any. */
  public static Optional<PredictorId> byId(String id) {
    for (PredictorId p : values()) {
      if (p.id.equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
