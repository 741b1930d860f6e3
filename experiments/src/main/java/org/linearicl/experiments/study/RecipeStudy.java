package org.linearicl.experiments.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.eval.PairedEvaluation;
import org.linearicl.core.model.LinearTransformer;
import org.linearicl.core.model.Variant;
import org.linearicl.core.random.Streams;
import org.linearicl.core.task.Batch;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.task.TaskSampler;
import org.linearicl.core.task.TaskSpec;
import org.linearicl.core.util.Checks;
import org.linearicl.core.util.ChunkedExecutor;
import org.linearicl.core.eval.Evaluator;
import org.linearicl.core.train.Training;
import org.linearicl.core.train.TrainingConfig;
import org.linearicl.core.train.TrainingListener;
import org.linearicl.core.train.TrainingParam;
import org.linearicl.experiments.kinds.TrainKind;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageParams;

/**
 * The recipe study (docs/recipes.md): trains each (recipe, model, noise) once and records the adjusted
 * validation loss of snapshots taken along the way against the training wall time spent to reach
 * them (snapshot evaluation excluded). Wall times depend on the machine, so this is a
 * measurement, not a pipeline stage; the losses themselves are deterministic.
 */
public final class RecipeStudy {
  private static final Logger LOG = LogManager.getLogger(RecipeStudy.class);

  private RecipeStudy() {}

  /** A model of the study, written {@code diag-3}. */
  public record Model(Variant variant, int layers) {
    public Model {
      Objects.requireNonNull(variant, "variant");
      Checks.atLeast("layers", layers, 1);
    }

    /** Parses {@code VARIANT-LAYERS}, e.g. {@code full-7}. */
    public static Model parse(String text) {
      int dash = text.lastIndexOf('-');
      if (dash <= 0) {
        throw new IllegalArgumentException("expected VARIANT-LAYERS such as diag-3, got '"
            + text + "'");
      }
      int layers;
      try {
        layers = Integer.parseInt(text.substring(dash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected VARIANT-LAYERS such as diag-3, got '"
            + text + "'");
      }
      return new Model(Variant.parse(text.substring(0, dash)), layers);
    }

    @Override
    public String toString() {
      return variant.cliName() + "-" + layers;
    }
  }

  /**
   * One training recipe: parameters of the {@code train} stage kind (its defaults fill in the
   * rest), optionally per variant. A run trains from scratch (no warm starts) through the same
   * {@link Training} the pipeline runs.
   */
  public record Recipe(String name, String description, ObjectNode params,
      Map<Variant, ObjectNode> perVariant) {
    public Recipe {
      Objects.requireNonNull(name, "name");
      params = params.deepCopy();
      Map<Variant, ObjectNode> copy = new EnumMap<>(Variant.class);
      perVariant.forEach((v, o) -> copy.put(v, o.deepCopy()));
      perVariant = Collections.unmodifiableMap(copy);
    }

    /** The train stage parameters of this recipe for one model and noise distribution. */
    public StageParams stageParams(Model model, NoiseDistribution noise) {
      ObjectNode all = params.deepCopy();
      ObjectNode v = perVariant.get(model.variant());
      if (v != null) {
        all.setAll(v);
      }
      all.put("variant", model.variant().cliName());
      all.put("layers", model.layers());
      all.put("noise", noise.spec());
      TrainKind kind = new TrainKind();
      return StageParams.resolve("recipe " + name, kind.params(), kind.completeParams(all));
    }

    /** The training config of this recipe for one model and noise distribution. */
    public TrainingConfig config(Model model, NoiseDistribution noise) {
      return TrainKind.config(stageParams(model, noise));
    }
  }

  /** What to train: every recipe on every model and noise distribution. */
  public record Definition(List<Recipe> recipes, List<Model> models,
      List<NoiseDistribution> noises, int snapshots, int validationSamples) {
    public Definition {
      recipes = List.copyOf(recipes);
      models = List.copyOf(models);
      noises = List.copyOf(noises);
      if (recipes.isEmpty() || models.isEmpty() || noises.isEmpty()) {
        throw new IllegalArgumentException("recipes, models and noise must not be empty");
      }
      Checks.atLeast("snapshots", snapshots, 1);
      Checks.atLeast("validation_samples", validationSamples, 2);
    }

    /** Keeps only the named recipes (all when {@code names} is empty). */
    public Definition onlyRecipes(Set<String> names) {
      if (names.isEmpty()) {
        return this;
      }
      List<Recipe> kept = recipes.stream().filter(r -> names.contains(r.name())).toList();
      Set<String> unknown = new TreeSet<>(names);
      kept.forEach(r -> unknown.remove(r.name()));
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown recipe(s) " + unknown + "; the study defines "
            + recipes.stream().map(Recipe::name).toList());
      }
      return new Definition(kept, models, noises, snapshots, validationSamples);
    }

    /**
     * Reads a study from its YAML/JSON tree; every error names {@code source} and the key.
     *
     * <pre>
     * snapshots: 8               # log-spaced evaluation points per run
     * validation_samples: 10000
     * models: [diag-3, full-7]
     * noise: ["uniform:5", "categorical:1,3"]
     * recipes:
     *   paper: {description: ..., lr: {diag: 1e-4, full: 1e-4}, schedule: constant,
     *           beta2: 0.999, steps: 2000, batch: 2048}
     * </pre>
     */
    public static Definition fromTree(JsonNode root, String source) {
      Fields top = new Fields(root, source, "the study");
      top.allow("snapshots", "validation_samples", "models", "noise", "recipes");
      List<Model> models = new ArrayList<>();
      for (JsonNode m : top.array("models")) {
        models.add(top.parse("models", () -> Model.parse(m.asText())));
      }
      List<NoiseDistribution> noises = new ArrayList<>();
      for (JsonNode n : top.array("noise")) {
        noises.add(top.parse("noise", () -> NoiseDistribution.parse(n.asText())));
      }
      JsonNode recipesNode = top.require("recipes");
      if (!recipesNode.isObject() || recipesNode.isEmpty()) {
        throw top.error("recipes", "a map from recipe name to its settings");
      }
      List<Recipe> recipes = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = recipesNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        recipes.add(recipe(e.getKey(), new Fields(e.getValue(), source, "recipes." + e.getKey())));
      }
      return top.parse("snapshots", () -> new Definition(recipes, models, noises,
          top.integer("snapshots", 8), top.integer("validation_samples", 10_000)));
    }

    private static Recipe recipe(String name, Fields f) {
      f.allow("description", "params", "variants");
      ObjectNode params = f.node.path("params").isObject()
          ? (ObjectNode) f.node.get("params") : JsonNodeFactory.instance.objectNode();
      Map<Variant, ObjectNode> perVariant = new EnumMap<>(Variant.class);
      JsonNode variants = f.node.path("variants");
      if (!variants.isMissingNode()) {
        if (!variants.isObject()) {
          throw f.error("variants", "a map from variant (full, diag, gdpp) to train params");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = variants.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          Variant v = f.parse("variants", () -> Variant.parse(e.getKey()));
          if (!e.getValue().isObject()) {
            throw f.error("variants." + e.getKey(), "a map of train params");
          }
          perVariant.put(v, (ObjectNode) e.getValue());
        }
      }
      Recipe r = new Recipe(name, f.node.path("description").asText(""), params, perVariant);
      for (Variant v : Variant.values()) {
        // every parameter is checked now, not after hours of the other recipes
        f.parse("params", () -> r.config(new Model(v, 1), NoiseDistribution.parse(
            "uniform:1")));
      }
      return r;
    }
  }

  /** One evaluated snapshot of a run. */
  /**
   * One evaluated point of a run: {@code phase} is {@code adam} for a snapshot of the first
   * Adam run, {@code final} (or {@code final-unstable}) for the trained model.
   */
  public record Point(long step, double seconds, double adjusted, double adjustedSe,
      String phase) {}

  /** One (recipe, model, noise) run: its snapshots, the trained model last. */
  public record Run(Recipe recipe, Model model, NoiseDistribution noise, List<Point> points) {
    public Run {
      points = List.copyOf(points);
    }

    /** The trained model's point. */
    public Point last() {
      return points.get(points.size() - 1);
    }
  }

  /**
   * The snapshot steps of a run of {@code steps} steps: {@code steps / 2^k} for
   * k = snapshots-1, ..., 0 (log-spaced, ending at the last step), duplicates and zero removed.
   */
  public static long[] snapshotSteps(long steps, int snapshots) {
    TreeSet<Long> s = new TreeSet<>();
    for (int k = snapshots - 1; k >= 0; k--) {
      long step = Math.round(steps / StrictMath.pow(2, k));
      if (step >= 1) {
        s.add(step);
      }
    }
    return s.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Runs the study, {@code jobs} runs at a time with {@code threadsPerRun} threads each, the
   * costliest first; the result lists the runs in definition order (recipe, model, noise).
   */
  public static List<Run> run(Definition def, int jobs, int threadsPerRun)
      throws InterruptedException {
    Map<NoiseDistribution, Validation> validation = new LinkedHashMap<>();
    try (ChunkedExecutor executor = new ChunkedExecutor(Math.max(1, jobs * threadsPerRun))) {
      for (NoiseDistribution noise : def.noises()) {
        Batch batch = new TaskSampler(TaskSpec.paper(noise)).sample(def.validationSamples(),
            (Long) TrainingParam.VALIDATION_SEED.defaultValue(), Streams.Purpose.EVALUATION, 0);
        validation.put(noise, new Validation(batch, Evaluator.oraclePredictions(batch, executor)));
      }
    }
    record Task(int index, Recipe recipe, Model model, NoiseDistribution noise, double cost) {}
    List<Task> tasks = new ArrayList<>();
    for (Recipe r : def.recipes()) {
      for (Model m : def.models()) {
        for (NoiseDistribution n : def.noises()) {
          TrainingConfig c = r.config(m, n);
          double cost = (double) (c.starts() * c.steps() + 1) * c.batchSize() * m.layers()
              * (m.variant() == Variant.FULL ? 2 : 1);
          tasks.add(new Task(tasks.size(), r, m, n, cost));
        }
      }
    }
    List<Task> order = new ArrayList<>(tasks);
    order.sort((a, b) -> Double.compare(b.cost(), a.cost()));
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    try {
      Map<Integer, Future<Run>> futures = new LinkedHashMap<>();
      for (Task t : order) {
        futures.put(t.index(), pool.submit(() -> {
          Run run = runOne(t.recipe(), t.model(), t.noise(), validation.get(t.noise()),
              def.snapshots(), threadsPerRun);
          LOG.info(String.format(Locale.ROOT, "[%d/%d] %s %s %s: %s (%.0f s elapsed)",
              done.incrementAndGet(), tasks.size(), t.recipe().name(), t.model(),
              t.noise().spec(), summary(run), (System.nanoTime() - start) * 1e-9));
          return run;
        }));
      }
      List<Run> runs = new ArrayList<>();
      for (Task t : tasks) {
        try {
          runs.add(futures.get(t.index()).get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("run " + t.recipe().name() + " " + t.model() + " "
              + t.noise().spec() + " failed: " + e.getCause(), e.getCause());
        }
      }
      return runs;
    } finally {
      pool.shutdownNow();
    }
  }

  private record Validation(Batch batch, double[] oracle) {}

  private static String summary(Run run) {
    Point last = run.last();
    return String.format(Locale.ROOT, "adjusted %.4f +- %.4f (%s) after %.1f s",
        last.adjusted(), last.adjustedSe(), last.phase(), last.seconds());
  }

  /**
   * Trains one run through {@link Training}, evaluating snapshots of its first Adam run (their
   * evaluation time is not training time) and, last, the chosen model after polish and
   * selection, at the run's whole wall time.
   */
  static Run runOne(Recipe recipe, Model model, NoiseDistribution noise, Validation validation,
      int snapshots, int threads) {
    TrainingConfig config = recipe.config(model, noise);
    long[] at = snapshotSteps(config.steps(), snapshots);
    List<Point> points = new ArrayList<>();
    try (ChunkedExecutor executor = new ChunkedExecutor(threads)) {
      long start = System.nanoTime();
      long[] evalNanos = {0};
      TrainingListener snapshotter = new TrainingListener() {
        private int next;

        @Override
        public void afterStep(long step, double[] params) {
          if (next >= at.length || step != at[next]) {
            return;
          }
          next++;
          long t0 = System.nanoTime();
          double seconds = (t0 - start - evalNanos[0]) * 1e-9;
          PairedEvaluation e = Evaluator.evaluate(
              new LinearTransformer(config.shape(), params.clone()), validation.batch(),
              validation.oracle(), executor);
          points.add(new Point(step, seconds, e.adjusted().mean(),
              e.adjusted().standardError(), "adam"));
          evalNanos[0] += System.nanoTime() - t0;
        }
      };
      Training.Outcome o = Training.run(config, List.of(), executor, snapshotter);
      double seconds = (System.nanoTime() - start - evalNanos[0]) * 1e-9;
      PairedEvaluation e = Evaluator.evaluate(new LinearTransformer(config.shape(), o.params()),
          validation.batch(), validation.oracle(), executor);
      points.add(new Point(o.choice().adamSteps(), seconds, e.adjusted().mean(),
          e.adjusted().standardError(), o.stable() ? "final" : "final-unstable"));
      return new Run(recipe, model, noise, points);
    }
  }

  /** The study as CSV, one row per point. */
  public static String csv(List<Run> runs) {
    StringBuilder b = new StringBuilder(
        "recipe,variant,layers,noise,step,seconds,adjusted_loss,adjusted_loss_se,phase\n");
    for (Run r : runs) {
      String prefix = String.format(Locale.ROOT, "%s,%s,%d,\"%s\",", r.recipe().name(),
          r.model().variant().cliName(), r.model().layers(), r.noise().spec());
      for (Point p : r.points()) {
        b.append(prefix).append(String.format(Locale.ROOT, "%d,%.2f,%.6g,%.3g,%s%n",
            p.step(), p.seconds(), p.adjusted(), p.adjustedSe(), p.phase()));
      }
    }
    return b.toString();
  }

  /**
   * Reads back what {@link #csv} wrote, taking each recipe from {@code def} by name (to redraw a
   * figure without training again); {@code source} names the file in errors.
   */
  public static List<Run> parseCsv(Definition def, String text, String source) {
    Map<String, Recipe> recipes = new LinkedHashMap<>();
    def.recipes().forEach(r -> recipes.put(r.name(), r));
    Map<String, List<Point>> points = new LinkedHashMap<>();
    Map<String, Object[]> keys = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      // recipe,variant,layers,"noise",step,seconds,adjusted,se,phase
      int q1 = line.indexOf('"');
      int q2 = line.indexOf('"', q1 + 1);
      if (q1 < 0 || q2 < 0) {
        throw new IllegalArgumentException(source + " line " + (i + 1)
            + ": expected a quoted noise spec");
      }
      String[] head = line.substring(0, q1).split(",");
      String[] tail = line.substring(q2 + 2).split(",", 5);
      if (head.length != 3 || tail.length != 5) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected 9 fields");
      }
      Recipe recipe = recipes.get(head[0]);
      if (recipe == null) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + ": recipe '" + head[0]
            + "' is not in the study");
      }
      String key = head[0] + "," + head[1] + "," + head[2] + "," + line.substring(q1 + 1, q2);
      keys.computeIfAbsent(key, k -> new Object[] {recipe,
          new Model(Variant.parse(head[1]), Integer.parseInt(head[2])),
          NoiseDistribution.parse(line.substring(q1 + 1, q2))});
      points.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(
          Long.parseLong(tail[0]), Double.parseDouble(tail[1]), Double.parseDouble(tail[2]),
          Double.parseDouble(tail[3]), tail[4].trim()));
    }
    List<Run> runs = new ArrayList<>();
    keys.forEach((key, k) -> runs.add(new Run((Recipe) k[0], (Model) k[1],
        (NoiseDistribution) k[2], points.get(key))));
    return runs;
  }

  /** Reads one object of a study file, naming the file and key path in every error. */
  private static final class Fields {
    final JsonNode node;
    final String source;
    final String path;

    Fields(JsonNode node, String source, String path) {
      this.node = node;
      this.source = source;
      this.path = path;
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(source + ": " + path + " must be a map");
      }
    }

    IllegalArgumentException error(String key, String expected) {
      return new IllegalArgumentException(source + ": " + qualified(key) + ": expected "
          + expected);
    }

    String qualified(String key) {
      return path.equals("the study") ? key : path + "." + key;
    }

    void allow(String... keys) {
      Set<String> allowed = Set.of(keys);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw new IllegalArgumentException(source + ": unknown key '" + qualified(k)
              + "'; expected one of " + new TreeSet<>(allowed));
        }
      }
    }

    JsonNode require(String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        throw error(key, "a value (the key is missing)");
      }
      return v;
    }

    JsonNode array(String key) {
      JsonNode v = require(key);
      if (!v.isArray() || v.isEmpty()) {
        throw error(key, "a non-empty list");
      }
      return v;
    }

    int integer(String key, int dflt) {
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        throw error(key, "an integer, got '" + v.asText() + "'");
      }
      return v.asInt();
    }

    double number(String key, double dflt) {
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      if (!v.isNumber()) {
        throw error(key, "a number, got '" + v.asText() + "'");
      }
      return v.asDouble();
    }

    <T> T parse(String key, java.util.function.Supplier<T> parser) {
      try {
        return parser.get();
      } catch (StageException e) {
        // a train parameter: "stage 'recipe NAME': 'steps': expected an integer, got ..."
        throw new IllegalArgumentException(source + ": " + qualified(key) + ": "
            + e.getMessage().replaceFirst("^stage '[^']*'(, param '([a-z_0-9]+)')?: ", "$2 "),
            e);
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
          throw e;
        }
        throw new IllegalArgumentException(source + ": " + qualified(key) + ": "
            + e.getMessage(), e);
      }
    }
  }
}
