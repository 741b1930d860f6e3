package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.linearicl.experiments.stage.StageKinds;

/**
 * A parsed pipeline.yaml (see docs/pipeline.md), not yet expanded. {@link #expand} applies a
 * profile, expands {@code foreach} grids, substitutes placeholders, resolves params against the
 * stage kinds and checks the graph, collecting every problem before failing.
 *
 * <p>This class reads the file and runs the expansion's jobs in order around one {@link
 * SpecContext}: the schema ({@link SpecSchema}), the foreach grid ({@link Declarations}), the
 * needs ({@link Needs}), the profile's set and the command line's {@code --set} ({@link
 * Overrides}) and the kinds' checks ({@link StageResolver}).
 */
public final class PipelineSpec {
  private final String file;
  private final YNode root;
  private final StageKinds kinds;

  private PipelineSpec(String file, YNode root, StageKinds kinds) {
    this.file = file;
    this.root = root;
    this.kinds = kinds;
  }

  /** Reads {@code path}; {@code file} is the name used in messages. */
  public static PipelineSpec load(Path path, String file, StageKinds kinds) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw SpecException.of(file, "no pipeline file " + path.toAbsolutePath(),
          "a pipeline.yaml in the working directory or --file FILE");
    } catch (IOException e) {
      throw SpecException.of(file, "cannot read " + path + ": " + e.getMessage(),
          "a readable file");
    }
    return parse(text, file, kinds);
  }

  /** Parses YAML text; {@code file} is the name used in messages. */
  public static PipelineSpec parse(String text, String file, StageKinds kinds) {
    YAMLFactory factory = YAMLFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    try (JsonParser p = factory.createParser(text)) {
      if (p.nextToken() == null) {
        throw SpecException.of(file, "the file is empty", "a mapping with 'stages'");
      }
      YNode root = YNode.read(p);
      if (!root.isMapping()) {
        throw new SpecException(List.of(Problem.at(file, root.location(),
            "top level is " + root.describe(), "a mapping with 'stages'")));
      }
      return new PipelineSpec(file, root, kinds);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ").trim();
      throw new SpecException(List.of(Problem.at(file, e.getLocation(), "invalid YAML: " + msg,
          "well-formed YAML without duplicate keys")));
    } catch (IOException e) {
      throw SpecException.of(file, "cannot parse: " + e.getMessage(), "well-formed YAML");
    }
  }

  public String file() {
    return file;
  }

  public StageKinds kinds() {
    return kinds;
  }

  /** Every profile in the file, in order (just "default" when there is no 'profiles'). */
  public List<String> profiles() {
    YNode ps = root.get("profiles");
    if (ps == null || !ps.isMapping() || ps.fields().isEmpty()) {
      return List.of("default");
    }
    return List.copyOf(ps.fields().keySet());
  }

  /** The profile used when none is given. */
  public String defaultProfile() {
    YNode d = root.get("default_profile");
    if (d != null && d.isText()) {
      return d.scalar().asText();
    }
    return profiles().get(0);
  }

  /** Expands under {@code profile} (the default when null); a SpecException lists all problems. */
  public Pipeline expand(String profile) {
    return expand(profile, List.of());
  }

  /**
   * Expands under {@code profile} (the default when null), then applies {@code overrides} (from
   * the command line) after the profile's {@code set}; a SpecException lists all problems.
   */
  public Pipeline expand(String profile, List<ParamOverride> overrides) {
    String chosen = profile == null ? defaultProfile() : profile;
    SpecContext cx = context(chosen);
    Expanded e = build(cx, List.copyOf(overrides));
    // a bad value in another profile's set is a mistake in the file too, whichever profile is
    // chosen: those profiles are expanded for the problems of their set only
    for (String other : profiles()) {
      if (!other.equals(chosen)) {
        SpecContext o = context(other);
        build(o, List.of());
        o.setProblems().forEach(cx::add);
      }
    }
    if (!cx.problems().isEmpty()) {
      List<Problem> sorted = new ArrayList<>(cx.problems());
      sorted.sort(null);
      throw new SpecException(sorted);
    }
    return new Pipeline(file, chosen, profiles(), e.stages(), e.slurm());
  }

  private SpecContext context(String profile) {
    return new SpecContext(file, root, kinds, profile, profiles());
  }

  /** The stages of one expansion and the file's {@code slurm:} block. */
  private record Expanded(List<Stage> stages, SlurmSpec slurm) {}

  /** Runs the expansion's jobs in order; {@code cx} collects every problem found. */
  private static Expanded build(SpecContext cx, List<ParamOverride> commandLine) {
    YNode root = cx.root;
    SpecSchema.checkTopLevelKeys(cx);
    SlurmSpec slurm = SlurmSpec.read(root.get("slurm"), cx.kinds.names(), cx::problem);
    Map<String, List<YNode>> vars = SpecSchema.readVars(cx, root.get("vars"), "vars");
    YNode profileNode = SpecSchema.checkProfiles(cx, vars);
    Declarations.applyProfileVars(cx, profileNode, vars);
    YNode stagesNode = root.get("stages");
    Map<String, StageDecl> byName = Declarations.nameStages(cx,
        Declarations.expandForeach(cx, stagesNode, vars), stagesNode);
    Map<String, ObjectNode> givenParams = Declarations.substituteParams(cx, byName);
    Map<String, List<String>> needsOf = Needs.resolve(cx, byName);
    Overrides overrides = new Overrides(cx, byName, givenParams);
    overrides.applyProfileSet(profileNode);
    overrides.applyCommandLine(commandLine);
    List<Stage> stages = StageResolver.resolve(cx, byName, givenParams, needsOf, stagesNode,
        overrides);
    Needs.findCycles(cx, needsOf, byName, stagesNode);
    return new Expanded(stages, slurm);
  }
}
