package org.linearicl.analysis.kinds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.linearicl.analysis.Prose;
import org.linearicl.analysis.figure.Figure;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.TrainedModel;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.analysis.mechanism.AblationAnalysis;
import org.linearicl.analysis.mechanism.AdaptationAnalysis;
import org.linearicl.analysis.mechanism.AlignmentAnalysis;
import org.linearicl.analysis.mechanism.ConstructionAnalysis;
import org.linearicl.analysis.mechanism.DiagonalityAnalysis;
import org.linearicl.analysis.mechanism.Findings;
import org.linearicl.analysis.table.Table;
import org.linearicl.core.model.Variant;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * Stage kind {@code mechanism}: what the trained models do inside, beyond the paper's own checks
 * (docs/mechanism.md). It runs five analyses of the {@code mechanism} package on the chosen
 * models of its {@code select-*} and {@code train-*} needs, in this order: ablation, diagonality
 * (with the projection onto DIAG), noise adaptation, the Theorem 5.2 construction, alignment.
 * Each gives its tables, its figure and its section of {@code tables/mechanism.md}, which ends
 * with the list of figures. Fresh sequences come from stream {@code (seed, PROFILE, 111..)}.
 */
public final class MechanismKind extends DeclaredKind {
  /** The findings, in words. */
  static final String MARKDOWN = "tables/mechanism.md";
  /** Every figure this kind may publish (PNG, SVG and PDF), in reading order. */
  static final List<String> FIGURES = List.of(AblationAnalysis.FIGURE,
      DiagonalityAnalysis.FIGURE, AdaptationAnalysis.FIGURE, ConstructionAnalysis.FIGURE,
      AlignmentAnalysis.FIGURE);
  /** Every table this kind publishes, in reading order. */
  static final List<String> TABLES = List.of(MARKDOWN, AblationAnalysis.TABLE,
      DiagonalityAnalysis.TABLE, DiagonalityAnalysis.PROJECTION_TABLE, AdaptationAnalysis.TABLE,
      ConstructionAnalysis.TABLE, AlignmentAnalysis.TABLE);

  public MechanismKind() {
    super("mechanism",
        10, // 2: ablation colours, titles, labels; 3: titles; 4-6: the diagonality figure;
        // 7: the figures' axes, bars, ablation's grey not-applicable cells, captions;
        // 8: the projection's paired cost (projected - FULL); 9: the projection and DIAG run
        // as FULL models, what the off-DIAG part is, projection_samples; 10: markers differ
        // from 8 slots before
        "inside the trained models: term ablation of DIAG, how diagonal FULL is, noise "
            + "adaptation within one model, the Theorem 5.2 construction, alignment with GD and "
            + "ridge (select-* and train-* stages)",
        List.of(
            AnalysisParams.freshSeed("13"),
            ParamSpec.optional("samples", ParamType.INTEGER, "10000",
                "fresh sequences per model for the ablation"),
            // {1,3}'s heavy tail: FULL-7's gain over DIAG is 5 SE on 100,000 sequences, 1 on 10,000
            ParamSpec.optional("projection_samples", ParamType.INTEGER, "100000",
                "fresh sequences per FULL model for its projection onto DIAG and the comparison"
                    + " with DIAG, as many as the evaluation's"),
            ParamSpec.optional("adaptation_samples", ParamType.INTEGER, "40000",
                "fresh sequences for the noise adaptation"),
            ParamSpec.optional("groups", ParamType.INTEGER, "10",
                "true-sigma groups of the noise adaptation"),
            ParamSpec.optional("ablation_noises", ParamType.STRING_LIST, "[\"u5\", \"c13\"]",
                "noise keys whose DIAG models are ablated"),
            ParamSpec.optional("construction_noise", ParamType.STRING, "\"c13\"",
                "the two-level noise key of the Theorem 5.2 construction"),
            ParamSpec.optional("construction_n", ParamType.INTEGER_LIST, "[20, 40, 80, 160, 320]",
                "context lengths of the Theorem 5.2 construction"),
            ParamSpec.optional("alignment_noises", ParamType.STRING_LIST, "[\"u0\", \"u5\"]",
                "noise keys whose GD++ and DIAG models are compared with GD and ridge"),
            ParamSpec.optional("alignment_samples", ParamType.INTEGER, "4000",
                "fresh sequences per model for tuning and for measuring the alignment")));
  }

  /** The lists an analysis indexes into must not be empty (checked when the file loads). */
  @Override
  public void check(StageParams params) {
    nonEmpty(params, "ablation_noises", params.strings("ablation_noises").size());
    nonEmpty(params, "construction_n", params.integers("construction_n").length);
  }

  private static void nonEmpty(StageParams params, String name, int size) {
    if (size == 0) {
      throw params.invalid(name, new IllegalArgumentException(
          "must list at least one value, got an empty list"));
    }
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    check(params);
    long seed = params.integer("seed");
    int samples = params.atLeast("samples", 2);
    int projectionSamples = params.atLeast("projection_samples", 2);
    int adaptationSamples = params.atLeast("adaptation_samples", 2);
    int groups = params.atLeast("groups", 1);
    List<String> ablationNoises = params.strings("ablation_noises");
    String constructionNoise = params.string("construction_noise");
    long[] constructionN = params.integers("construction_n");
    List<String> alignmentNoises = params.strings("alignment_noises");
    int alignmentSamples = params.atLeast("alignment_samples", 2);
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(inputs, params.stage());
    SortedMap<String, TrainedModel> ckpt = UpstreamArtifacts.checkpoints(inputs);
    Collected out = new Collected(Prose.f("Fresh sequences: %d per model for the ablation, %d "
        + "per FULL model for its projection onto DIAG and %d for the noise adaptation, seed %d "
        + "(stream PROFILE). Definitions: docs/mechanism.md.%n%n", samples, projectionSamples,
        adaptationSamples, seed).replace("\r", ""));
    try (ChunkedExecutor executor = new ChunkedExecutor(context.threads())) {
      AblationAnalysis.run(sel, ckpt, ablationNoises, samples, seed, executor, context, out);
      context.progress(0.5, "diagonality of FULL");
      DiagonalityAnalysis.run(sel, ckpt, projectionSamples, seed, executor, out);
      context.progress(0.7, "noise adaptation");
      Selection example = sel.get(PaperLayout.EXAMPLE_NOISE);
      Optional<TrainedModel> adapting = example == null ? Optional.empty()
          : Stability.deepestStable(example, Variant.DIAG, PaperLayout.MAX_LAYERS)
              .map(m -> ckpt.get(m.stage()));
      AdaptationAnalysis.run(adapting, adaptationSamples, groups, seed, out);
      context.progress(0.8, "Theorem 5.2 construction");
      ConstructionAnalysis.run(sel, ckpt, constructionNoise, constructionN, samples, seed,
          executor, out);
      context.progress(0.9, "alignment with GD and ridge");
      AlignmentAnalysis.run(sel, ckpt, alignmentNoises, alignmentSamples, seed, out);
    }
    return out.artifact();
  }

  /** The analyses' findings as this kind publishes them: figures in the analysis style. */
  private static final class Collected implements Findings {
    private final StringBuilder md = new StringBuilder("# Inside the trained models\n\n");
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, FigurePage> figures = new LinkedHashMap<>();

    Collected(String preamble) {
      md.append(preamble);
    }

    @Override
    public void text(String markdown) {
      md.append(markdown);
    }

    @Override
    public void table(String file, Table table) {
      tables.put(file, table);
    }

    @Override
    public LinePlot.Builder panel(String title, String xTitle, String yTitle) {
      return FigurePage.plot(title, xTitle, yTitle);
    }

    @Override
    public void figure(String name, List<? extends Figure> panels, int columns, String title,
        String caption) {
      figures.put(name, FigurePage.of(panels, columns, title, caption));
    }

    @Override
    public void skipFigure(String name, String why) {
      figures.put(name, FigurePage.skip(why));
    }

    Artifact artifact() {
      Artifact.Builder b = Artifact.builder();
      md.append("## Figures\n\n");
      for (Map.Entry<String, FigurePage> f : figures.entrySet()) {
        f.getValue().writeTo(b, "figures/" + f.getKey());
        md.append(f.getValue().skipped() == null ? "- [figures/" + f.getKey()
            + ".png](../figures/" + f.getKey() + ".png): " + f.getValue().caption() + "\n"
            : "- " + f.getKey() + ": skipped, " + f.getValue().skipped() + "\n");
      }
      b.text(MARKDOWN, md.toString());
      tables.forEach((file, table) -> b.text(file, table.toCsv()));
      return b.build();
    }
  }
}
