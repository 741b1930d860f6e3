package org.linearicl.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.analysis.figure.FigureWriter;
import org.linearicl.analysis.figure.LinePlot;
import org.linearicl.experiments.study.RecipeStudy;
import org.linearicl.experiments.study.RecipeStudy.Definition;
import org.linearicl.experiments.study.RecipeStudy.Model;
import org.linearicl.experiments.study.RecipeStudy.Point;
import org.linearicl.experiments.study.RecipeStudy.Run;
import org.linearicl.core.task.NoiseDistribution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recipes}: the training-recipe study (adjusted loss against wall time per recipe). */
@Command(name = "recipes", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the training-recipe study (docs/recipes.md).",
        "Trains every recipe of a study file on every model and noise setting in it, evaluates"
            + " log-spaced snapshots on held-out sequences, and writes recipes.csv and a figure"
            + " (recipes.png, .svg and .pdf: adjusted loss against training seconds, one panel per"
            + " model and noise). Wall times depend on the machine; the losses do not."})
public final class RecipesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--study", paramLabel = "FILE", defaultValue = "docs/recipe-study.yaml",
      description = "The study: recipes, models, noise settings (default: ${DEFAULT-VALUE}).")
  Path study;

  @Option(names = "--recipe", paramLabel = "NAME", split = ",",
      description = "Run only these recipes of the study (default: all).")
  List<String> only = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs/recipe-study",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "2",
      description = "Runs trained at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--threads-per-run", paramLabel = "N", defaultValue = "1",
      description = "Threads of each run (default: ${DEFAULT-VALUE}; times are per run).")
  int threadsPerRun;

  @Option(names = "--replot",
      description = "Train nothing: redraw the figure from the recipes.csv in --out.")
  boolean replot;

  /** Snapshots above this adjusted loss are left off the figure (a zero model scores ~3.5). */
  static final double OFF_SCALE = 10;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Converters.atLeast("--jobs", jobs, 1);
    Converters.atLeast("--threads-per-run", threadsPerRun, 1);
    Main.logArithmetic();
    Definition def = onlyRecipes(read(study), only);
    String what = "recipes.csv and the figure";
    if (replot) {
      OutputPaths.directory("--out", out, what);
    } else {
      OutputPaths.created("--out", out, what); // before hours of training, not after
    }
    List<Run> runs;
    if (replot) {
      Path csv = out.resolve("recipes.csv");
      try {
        runs = RecipeStudy.parseCsv(def, Files.readString(csv), csv.toString());
      } catch (NoSuchFileException e) {
        throw new UserError("--replot: no such file " + csv + " (run the study first)");
      } catch (IllegalArgumentException e) {
        throw new UserError("--replot: " + e.getMessage(), e);
      }
    } else {
      runs = RecipeStudy.run(def, jobs, threadsPerRun);
      AtomicFiles.writeString(out.resolve("recipes.csv"), RecipeStudy.csv(runs));
    }
    FigureWriter.writeFigures(panels(def, runs), 2, out.resolve("recipes"));
    PrintWriter w = spec.commandLine().getOut();
    w.println((replot ? "redrew " : "wrote " + out.resolve("recipes.csv") + ", ")
        + out.resolve("recipes.png") + ", recipes.svg and recipes.pdf (" + runs.size() + " runs)");
    w.flush();
    return 0;
  }

  static Definition read(Path file) {
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new UserError("--study: no such file " + file);
    } catch (IOException e) {
      throw new UserError("--study: " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    try {
      return Definition.fromTree(tree, file.toString());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private static Definition onlyRecipes(Definition def, List<String> names) {
    try {
      return def.onlyRecipes(new LinkedHashSet<>(names));
    } catch (IllegalArgumentException e) {
      throw new UserError("--recipe: " + e.getMessage(), e);
    }
  }

  /**
   * One panel per (model, noise): a line per recipe, the unstable runs marked in the legend.
   * Snapshots above {@link #OFF_SCALE} (intermediate models that blow up on a rare validation
   * sequence) are left off, and the panel's y axis says so: on a log axis they would squeeze
   * every curve into one line.
   */
  static List<LinePlot> panels(Definition def, List<Run> runs) {
    List<LinePlot> panels = new ArrayList<>();
    for (Model m : def.models()) {
      for (NoiseDistribution n : def.noises()) {
        boolean offScale = runs.stream().anyMatch(r -> r.model().equals(m) && r.noise().equals(n)
            && r.points().stream().anyMatch(p -> !(p.adjusted() <= OFF_SCALE)));
        LinePlot.Builder b = LinePlot.builder()
            .title(m.variant().paperName() + ", " + m.layers() + " layers, " + n.spec())
            .xTitle("training seconds (one core)")
            .yTitle(offScale ? "adjusted loss (values > 10 not shown)" : "adjusted loss")
            .logY(true)
            .size(420, 300);
        int drawn = 0;
        for (Run r : runs) {
          if (!r.model().equals(m) || !r.noise().equals(n)) {
            continue;
          }
          List<Point> ok = r.points().stream()
              .filter(p -> p.adjusted() > 0 && p.adjusted() <= OFF_SCALE).toList();
          if (ok.isEmpty()) {
            continue;
          }
          b.series(r.recipe().name() + (r.last().phase().endsWith("unstable") ? " (unstable)"
                  : ""),
              ok.stream().mapToDouble(Point::seconds).toArray(),
              ok.stream().mapToDouble(Point::adjusted).toArray(), LinePlot.Style.LINE_AND_MARKERS);
          drawn++;
        }
        if (drawn > 0) {
          panels.add(b.build());
        }
      }
    }
    return panels;
  }
}
