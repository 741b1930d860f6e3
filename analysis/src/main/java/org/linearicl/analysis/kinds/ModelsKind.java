package org.linearicl.analysis.kinds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.linearicl.analysis.inputs.PaperLayout;
import org.linearicl.analysis.inputs.UpstreamArtifacts;
import org.linearicl.experiments.artifacts.OutcomeJson;
import org.linearicl.experiments.results.Choice;
import org.linearicl.experiments.results.ModelResult;
import org.linearicl.experiments.results.ResultsJson;
import org.linearicl.experiments.results.Selection;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.DeclaredKind;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageParams;

/**
 * Stage kind {@code models}: the released models. Every model a {@code select-*} stage chose
 * (one per variant, depth and noise setting) under {@code models/<train stage>/}, as its train
 * stage wrote it ({@code checkpoint.json} and {@code outcome.json}, the same bytes, which
 * {@code evaluate --model} reads as they are), with {@code models/models.csv} (the adjusted loss
 * each reached on its evaluation sequences, to the last digit, and which sequences those were)
 * and {@code models/README.md} (the format). Published, so a rerun after retraining refreshes it.
 */
public final class ModelsKind extends DeclaredKind {
  /** The directory the files go under, in the artifact and under results/&lt;profile&gt;/. */
  static final String DIR = "models";

  /** The list of models, one line each. */
  static final String CSV = DIR + "/models.csv";

  static final String CSV_HEADER = "model,variant,layers,noise_key,noise,seed,status,"
      + "adjusted_loss,adjusted_loss_se,d,n,eval_samples,eval_seed";

  public ModelsKind() {
    super("models", 1, "the chosen model of every (variant, layers, noise) with its outcome and "
        + "evaluated adjusted loss, for release", List.of());
  }

  @Override
  public Artifact run(StageParams params, StageInputs inputs, StageContext context) {
    SortedMap<String, Selection> sel = UpstreamArtifacts.selections(inputs, params.stage());
    Artifact.Builder out = Artifact.builder();
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (Map.Entry<String, Selection> e : sel.entrySet()) {
      Selection s = e.getValue();
      List<Choice> choices = new ArrayList<>(s.choices());
      choices.sort(Comparator.comparingInt((Choice c) -> PaperLayout.variantIndex(c.variant()))
          .thenComparingInt(Choice::layers));
      for (Choice c : choices) {
        ModelResult m = s.best(c.variant(), c.layers()).orElseThrow(() -> new StageException(
            "stage '" + params.stage() + "': the chosen model " + c.best() + " has no evaluation"
                + " in the selection of " + e.getKey()));
        Artifact trained = inputs.all().get(c.best());
        if (trained == null || !trained.has(ResultsJson.CHECKPOINT_FILE)
            || !trained.has(OutcomeJson.FILE)) {
          throw new StageException("stage '" + params.stage() + "' needs the train stage of every"
              + " chosen model; '" + c.best() + "' is not among its inputs "
              + "(expected needs: [\"select-*\", \"train-*\"])");
        }
        String dir = DIR + "/" + c.best() + "/";
        out.bytes(dir + ResultsJson.CHECKPOINT_FILE, trained.bytes(ResultsJson.CHECKPOINT_FILE));
        out.bytes(dir + OutcomeJson.FILE, trained.bytes(OutcomeJson.FILE));
        var ev = s.evaluation();
        csv.append(String.join(",", c.best(), c.variant().cliName(),
            Integer.toString(c.layers()), e.getKey(), quote(ev.noise()), Long.toString(m.seed()),
            m.status().text(), Double.toString(m.adjusted().mean()),
            Double.toString(m.adjusted().se()), Integer.toString(ev.d()),
            Integer.toString(ev.n()), Integer.toString(ev.samples()), Long.toString(ev.seed())))
            .append('\n');
      }
    }
    out.text(CSV, csv.toString());
    out.text(DIR + "/README.md", README);
    return out.build();
  }

  private static String quote(String s) {
    return s.indexOf(',') >= 0 ? "\"" + s + "\"" : s;
  }

  static final String README = """
      # Released models

      Every model Table 1 reports: for each noise setting, variant and depth, the seed the
      `select` stage chose (the best stable one on validation sequences). Each lies in its own
      directory, named after the train stage that made it (`train-diag-2-u5-s0`: DIAG, 2 layers,
      U(0,5), seed 0), with the two files that stage wrote, byte for byte:

      - `checkpoint.json` (format `linear-icl-checkpoint/2`): `model` holds `variant` (`full`,
        `diag`, `gdpp`), `layers`, `heads`, `d`, `attention_scale` (`1/n`) and `params`, one flat
        array; `config` the training configuration (task: `d`, `n`, `noise`), `curve` the
        training curve, `evaluation` the loss on the sequences training evaluated it on.
      - `outcome.json`: the candidates training compared, the polish, the tail check and the
        model's status (`stable` or `unstable`).

      `params` holds, layer after layer and head after head, per head: FULL, P then Q, each a
      (d+1) x (d+1) matrix row by row; DIAG, `p_x, p_y, q_x, q_y` (P = diag(p_x I, p_y),
      Q = diag(q_x I, q_y)); GD++, `p_x, p_y, q_x` (q_y = 0). A layer maps every token e = (x, y),
      the query's y being 0, to M e with M = I + (1/n) sum_k P_k S Q_k and S the sum of e e^T over
      the n context tokens; the prediction is minus the query's y after the last layer.

      `models.csv` lists each model with its adjusted loss (loss minus the oracle ridge's with the
      true sigma, on the same sequences) and standard error, as Table 1 reports them, and the
      evaluation sequences behind them (`eval_samples`, `eval_seed`: stream EVALUATION of
      `d`, `n`, `noise`). `linear-icl evaluate --model DIR/checkpoint.json --eval-samples N
      --eval-seed S` evaluates a model as it is here and reproduces that number to the last digit.
      Loading one in Python and predicting with numpy: docs/models.md.
      """;
}
