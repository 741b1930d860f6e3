package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.linearicl.experiments.stage.ParamProblem;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.experiments.stage.StageParams;
import org.linearicl.pipeline.cache.Canonical;

/**
 * A parsed pipeline.yaml (see docs/pipeline.md), not yet expanded. {@link #expand} applies a
 * profile, expands {@code foreach} grids, substitutes placeholders, resolves params against the
 * stage kinds and checks the graph, collecting every problem before failing.
 */
public final class PipelineSpec {
  static final Set<String> TOP_KEYS = Set.of("default_profile", "vars", "profiles", "stages", "slurm");
  static final Set<String> STAGE_KEYS =
      Set.of("kind", "foreach", "params", "needs", "optional_needs", "publish", "description");
  static final Set<String> PROFILE_KEYS = Set.of("description", "vars", "set");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)\\}");
  private static final Pattern PLACEHOLDER_NAME =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?");
  private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

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
    Expansion e = new Expansion(chosen, List.copyOf(overrides));
    List<Stage> stages = e.build();
    // a bad value in another profile's set is a mistake in the file too, whichever profile is
    // chosen: those profiles are expanded for the problems of their set only
    for (String other : profiles()) {
      if (!other.equals(chosen)) {
        Expansion o = new Expansion(other, List.of());
        o.build();
        e.problems.addAll(o.setProblems);
      }
    }
    if (!e.problems.isEmpty()) {
      List<Problem> sorted = new ArrayList<>(e.problems);
      sorted.sort(null);
      throw new SpecException(sorted);
    }
    return new Pipeline(file, chosen, profiles(), stages, e.slurm);
  }

  private final class Expansion {
    final String profile;
    final List<ParamOverride> overrides;
    final Set<Problem> problems = new LinkedHashSet<>();
    /** The file's {@code slurm:} block, once {@link #build} has read it. */
    SlurmSpec slurm = SlurmSpec.none();
    /** The problems of the profile's set, a subset of {@link #problems}. */
    final Set<Problem> setProblems = new LinkedHashSet<>();
    /** Per stage and param, the set entry or --set that gave the value (the last one). */
    final Map<String, Map<String, Origin>> origins = new LinkedHashMap<>();
    /** Per stage and param, the value before the first set entry or --set (null: none). */
    final Map<String, Map<String, JsonNode>> before = new LinkedHashMap<>();

    Expansion(String profile, List<ParamOverride> overrides) {
      this.profile = profile;
      this.overrides = overrides;
    }

    void problem(JsonLocation loc, String what, String expected) {
      problems.add(Problem.at(file, loc, what, expected));
    }

    void setProblem(JsonLocation loc, String what, String expected) {
      Problem p = Problem.at(file, loc, what, expected);
      problems.add(p);
      setProblems.add(p);
    }

    /**
     * Where an overriding value came from: a profile's set entry ({@code loc} its value, {@code
     * what} "profile 'quick' sets 'train-*.steps' to -5") or a --set ({@code argument}).
     */
    record Origin(JsonLocation loc, String what, String argument) {}

    /** A stage declaration with the variable binding of one grid point. */
    record Decl(String template, YNode node, Map<String, YNode> binding) {}

    /** The stages; {@link #problems} holds every problem found. */
    List<Stage> build() {
      checkTopLevelKeys();
      slurm = SlurmSpec.read(root.get("slurm"), kinds.names(), this::problem);
      Map<String, List<YNode>> vars = readVars(root.get("vars"), "vars");
      YNode profileNode = readProfile(vars);
      YNode stagesNode = root.get("stages");
      Map<String, Decl> byName = nameStages(expandForeach(stagesNode, vars), stagesNode);
      Map<String, ObjectNode> givenParams = substituteParams(byName);
      Map<String, List<String>> needsOf = resolveNeeds(byName);
      applyProfileSets(profileNode, byName, givenParams);
      applyOverrides(byName, givenParams);
      List<Stage> stages = resolveStages(byName, givenParams, needsOf, stagesNode);
      findCycles(needsOf, byName, stagesNode);
      return stages;
    }

    /** Unknown top-level keys and a default_profile that is not a name or not a profile. */
    void checkTopLevelKeys() {
      for (String k : root.fields().keySet()) {
        if (!TOP_KEYS.contains(k)) {
          problem(root.keyLocation(k), "unknown top-level key '" + k + "'",
              "one of " + new TreeSet<>(TOP_KEYS));
        }
      }
      YNode dp = root.get("default_profile");
      if (dp != null && !dp.isText()) {
        problem(dp.location(), "default_profile is " + dp.describe(), "a profile name");
      } else if (dp != null && !profiles().contains(dp.scalar().asText())) {
        problem(dp.location(), "default_profile '" + dp.scalar().asText()
            + "' is not a profile", "one of " + profiles());
      }
    }

    /** Every stage declaration once per point of its foreach grid, in file order. */
    List<Decl> expandForeach(YNode stagesNode, Map<String, List<YNode>> vars) {
      List<Decl> decls = new ArrayList<>();
      if (stagesNode == null) {
        problem(root.location(), "no 'stages'", "a mapping of stage names to stages");
      } else if (!stagesNode.isMapping()) {
        problem(stagesNode.location(), "'stages' is " + stagesNode.describe(),
            "a mapping of stage names to stages");
      } else {
        for (Map.Entry<String, YNode> e : stagesNode.fields().entrySet()) {
          expandDecl(e.getKey(), stagesNode.keyLocation(e.getKey()), e.getValue(), vars, decls);
        }
      }
      return decls;
    }

    /**
     * The declarations by their stage names (the name template with the placeholders
     * substituted); a name that is malformed or taken by an earlier declaration is reported
     * and its declaration dropped.
     */
    Map<String, Decl> nameStages(List<Decl> decls, YNode stagesNode) {
      Map<String, Decl> byName = new LinkedHashMap<>();
      for (Decl d : decls) {
        JsonLocation keyLoc = stagesNode.keyLocation(d.template());
        JsonNode n = substitute(d.template(), d.binding(), keyLoc, "stage name");
        if (n == null) {
          continue;
        }
        String name = n.isTextual() ? n.asText() : Canonical.text(n);
        if (!name.matches("[A-Za-z0-9_.=+:@-]+") || Glob.isGlob(name)) {
          problem(keyLoc, "stage name '" + name + "' (from '" + d.template() + "')",
              "letters, digits and -_.=+:@ only (no spaces, '*' or '?')");
          continue;
        }
        Decl old = byName.putIfAbsent(name, d);
        if (old != null) {
          problem(keyLoc, "duplicate stage name '" + name + "' after expansion (also from '"
              + old.template() + "' at line "
              + stagesNode.keyLocation(old.template()).getLineNr() + ")",
              "unique stage names: add the varying variables to the name template");
        }
      }
      return byName;
    }

    /** Each stage's params as the file gives them, placeholders substituted. */
    Map<String, ObjectNode> substituteParams(Map<String, Decl> byName) {
      Map<String, ObjectNode> givenParams = new LinkedHashMap<>();
      for (Map.Entry<String, Decl> e : byName.entrySet()) {
        Decl d = e.getValue();
        YNode params = d.node().get("params");
        if (params != null && !params.isNull() && !params.isMapping()) {
          problem(params.location(), "stage '" + d.template() + "': params is "
              + params.describe(), "a mapping of parameter names to values");
          params = null;
        }
        ObjectNode given = F.objectNode();
        if (params != null && params.isMapping()) {
          for (Map.Entry<String, YNode> p : params.fields().entrySet()) {
            JsonNode v = substituteTree(p.getValue(), d.binding(), "param '" + p.getKey() + "'");
            if (v != null) {
              given.set(p.getKey(), v);
            }
          }
        }
        givenParams.put(e.getKey(), given);
      }
      return givenParams;
    }

    /** Each stage's needs and optional_needs, resolved to stage names. */
    Map<String, List<String>> resolveNeeds(Map<String, Decl> byName) {
      Map<String, List<String>> needsOf = new LinkedHashMap<>();
      byName.keySet().forEach(name -> needsOf.put(name, new ArrayList<>()));
      for (Map.Entry<String, Decl> e : byName.entrySet()) {
        Decl d = e.getValue();
        for (String field : List.of("needs", "optional_needs")) {
          YNode needs = d.node().get(field);
          if (needs == null || needs.isNull()) {
            continue;
          }
          boolean optional = field.equals("optional_needs");
          List<YNode> items = needs.isSequence() ? needs.items() : List.of(needs);
          for (YNode item : items) {
            resolveNeed(item, d, e.getKey(), optional, byName, needsOf);
          }
        }
      }
      return needsOf;
    }

    /**
     * The stages: each one's params completed and checked against its kind, publish and
     * description read. A stage with a problem is reported and left out.
     */
    List<Stage> resolveStages(Map<String, Decl> byName, Map<String, ObjectNode> givenParams,
        Map<String, List<String>> needsOf, YNode stagesNode) {
      List<Stage> stages = new ArrayList<>();
      Map<Where, List<String>> valueFailures = new LinkedHashMap<>();
      for (Map.Entry<String, Decl> e : byName.entrySet()) {
        Decl d = e.getValue();
        StageKind kind = kindOf(d);
        if (kind == null) {
          continue;
        }
        JsonNode given = kind.completeParams(givenParams.get(e.getKey()).deepCopy());
        List<ParamProblem> ps = StageParams.problems(kind.params(), given);
        if (!ps.isEmpty()) {
          YNode params = d.node().get("params");
          for (ParamProblem pp : ps) {
            JsonLocation loc = pp.param() != null && params != null && params.isMapping()
                && params.fields().containsKey(pp.param()) ? params.keyLocation(pp.param())
                : stagesNode.keyLocation(d.template());
            problem(loc, "stage '" + d.template() + "' (kind " + kind.name() + "): "
                + (pp.param() == null ? "params" : "param '" + pp.param() + "'") + " "
                + pp.what(), pp.expected());
          }
          continue;
        }
        YNode publish = d.node().get("publish");
        boolean pub = false;
        if (publish != null && !publish.isNull()) {
          if (publish.isScalar() && publish.scalar().isBoolean()) {
            pub = publish.scalar().asBoolean();
          } else {
            problem(publish.location(), "publish is " + publish.describe(), "true or false");
          }
        }
        YNode desc = d.node().get("description");
        String description = desc != null && desc.isScalar() && !desc.isNull()
            ? Canonical.text(desc.scalar()) : "";
        List<String> needs = new ArrayList<>(needsOf.get(e.getKey()));
        needs.sort(null);
        StageParams params = StageParams.resolve(e.getKey(), kind.params(), given);
        String bad = valueProblem(kind, params);
        if (bad != null) {
          badValue(e.getKey(), d, kind, givenParams.get(e.getKey()), bad, stagesNode,
              valueFailures);
          continue;
        }
        stages.add(new Stage(e.getKey(), kind, params, needs, pub, description,
            stagesNode.keyLocation(d.template())));
      }
      valueFailures.forEach((where, stagesAndMessage) -> {
        String more = stagesAndMessage.size() == 2 ? ""
            : " (and " + (stagesAndMessage.size() - 2) + " more stage(s))";
        Problem p = where.problem(file, stagesAndMessage.get(1) + more);
        problems.add(p);
        if (where.origin() != null && where.origin().argument() == null) {
          setProblems.add(p);
        }
      });
      return stages;
    }

    /**
     * What the kind's own check says of {@code params} ({@link StageKind#check}, the check the
     * stage runs and {@code train} makes), or null when they pass; the parameter it names
     * first.
     */
    String valueProblem(StageKind kind, StageParams params) {
      try {
        kind.check(params);
        return null;
      } catch (StageException | IllegalArgumentException ex) {
        String param = ex instanceof StageException se ? se.param() : null;
        return (param == null ? "" : param) + "\n" + ex.getMessage();
      }
    }

    /** Where a bad value is reported: the set entry or --set that gave it, else the stage. */
    record Where(Origin origin, JsonLocation stage) {
      Problem problem(String file, String message) {
        if (origin == null) {
          return Problem.at(file, stage, message, null);
        }
        return origin.argument() != null
            ? Problem.unplaced("--set '" + origin.argument() + "'", message, null)
            : Problem.at(file, origin.loc(), origin.what() + ": " + message, null);
      }
    }

    /**
     * Records a stage whose values its kind rejects under the set entry or --set that gave the
     * value: the parameter the check names, else the one whose earlier value passes the check.
     */
    void badValue(String name, Decl d, StageKind kind, ObjectNode given, String bad,
        YNode stagesNode, Map<Where, List<String>> failures) {
      String param = bad.substring(0, bad.indexOf('\n'));
      String message = bad.substring(bad.indexOf('\n') + 1);
      Map<String, Origin> mine = origins.getOrDefault(name, Map.of());
      Origin origin = mine.get(param);
      if (origin == null && param.isEmpty()) {
        for (Map.Entry<String, Origin> o : mine.entrySet()) {
          ObjectNode earlier = given.deepCopy();
          JsonNode was = before.get(name).get(o.getKey());
          if (was == null) {
            earlier.remove(o.getKey());
          } else {
            earlier.set(o.getKey(), was);
          }
          JsonNode completed = kind.completeParams(earlier);
          if (StageParams.problems(kind.params(), completed).isEmpty() && valueProblem(kind,
              StageParams.resolve(name, kind.params(), completed)) == null) {
            origin = o.getValue();
            break;
          }
        }
      }
      List<String> l = failures.computeIfAbsent(new Where(origin, origin == null
          ? stagesNode.keyLocation(d.template()) : null), k -> new ArrayList<>());
      if (l.isEmpty()) {
        l.add(name);
        l.add(message);
      } else {
        l.add(name);
      }
    }

    StageKind kindOf(Decl d) {
      YNode k = d.node().get("kind");
      if (k == null || !k.isText()) {
        return null;
      }
      return kinds.find(k.scalar().asText()).orElse(null);
    }

    Map<String, List<YNode>> readVars(YNode node, String where) {
      Map<String, List<YNode>> out = new LinkedHashMap<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isMapping()) {
        problem(node.location(), "'" + where + "' is " + node.describe(),
            "a mapping of variable names to lists");
        return out;
      }
      for (Map.Entry<String, YNode> e : node.fields().entrySet()) {
        YNode list = e.getValue();
        if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") || e.getKey().equals("profile")) {
          problem(node.keyLocation(e.getKey()), "variable name '" + e.getKey() + "'",
              "letters, digits and '_' (and not 'profile', which is built in)");
          continue;
        }
        if (!list.isSequence()) {
          problem(list.location(), "variable '" + e.getKey() + "' is " + list.describe(),
              "a list of scalars or flat mappings");
          continue;
        }
        boolean ok = true;
        for (YNode item : list.items()) {
          boolean flat = item.isScalar() && !item.isNull();
          if (item.isMapping()) {
            flat = item.fields().values().stream().allMatch(v -> v.isScalar() && !v.isNull());
          }
          if (!flat) {
            problem(item.location(), "element " + item.describe() + " of variable '"
                + e.getKey() + "'", "a scalar or a mapping of scalars");
            ok = false;
          }
        }
        if (ok) {
          out.put(e.getKey(), list.items());
        }
      }
      return out;
    }

    /** Validates every profile's keys, applies the chosen one's vars, returns its node. */
    YNode readProfile(Map<String, List<YNode>> vars) {
      YNode ps = root.get("profiles");
      YNode chosen = null;
      if (ps != null && !ps.isNull() && !ps.isMapping()) {
        problem(ps.location(), "'profiles' is " + ps.describe(),
            "a mapping of profile names to profiles");
        ps = null;
      }
      if (ps != null && ps.isMapping()) {
        for (Map.Entry<String, YNode> e : ps.fields().entrySet()) {
          YNode p = e.getValue();
          if (p.isNull()) {
            continue;
          }
          if (!p.isMapping()) {
            problem(p.location(), "profile '" + e.getKey() + "' is " + p.describe(),
                "a mapping with description, vars, set");
            continue;
          }
          for (String k : p.fields().keySet()) {
            if (!PROFILE_KEYS.contains(k)) {
              problem(p.keyLocation(k), "bad profile key '" + k + "' in profile '" + e.getKey()
                  + "'", "one of " + new TreeSet<>(PROFILE_KEYS));
            }
          }
          YNode pv = p.get("vars");
          if (pv != null && pv.isMapping()) {
            for (String v : pv.fields().keySet()) {
              if (!vars.containsKey(v) && !isDeclaredVar(v)) {
                problem(pv.keyLocation(v), "bad profile key 'vars." + v + "' in profile '"
                    + e.getKey() + "': no variable '" + v + "'", "one of the variables "
                    + (root.get("vars") != null && root.get("vars").isMapping()
                        ? root.get("vars").fields().keySet() : List.of()));
              }
            }
          }
          YNode set = p.get("set");
          if (set != null && !set.isNull() && !set.isMapping()) {
            problem(set.location(), "'set' of profile '" + e.getKey() + "' is "
                + set.describe(), "a mapping of '<stage glob>.<param>' to values");
          }
          if (e.getKey().equals(profile)) {
            chosen = p;
          }
        }
        if (!ps.fields().containsKey(profile)) {
          unknownProfile("one of " + ps.fields().keySet());
        }
      } else if (!profile.equals("default")) {
        unknownProfile("'default' (the file declares no profiles)");
      }
      if (chosen != null && chosen.get("vars") != null && chosen.get("vars").isMapping()) {
        Map<String, List<YNode>> over = readVars(chosen.get("vars"), "profiles." + profile
            + ".vars");
        over.forEach((k, v) -> {
          if (vars.containsKey(k)) {
            vars.put(k, v);
          }
        });
      }
      return chosen;
    }

    /**
     * Reports that the chosen profile is not in the file: at default_profile when that named
     * it (where it is reported already), else at the {@code profiles} key, else nowhere in
     * particular (a file without profiles).
     */
    void unknownProfile(String expected) {
      YNode dp = root.get("default_profile");
      if (dp != null && dp.isText() && dp.scalar().asText().equals(profile)) {
        return; // checkTopLevelKeys says "default_profile 'X' is not a profile" at its line
      }
      String what = "unknown profile '" + profile + "'";
      problems.add(root.fields().containsKey("profiles")
          ? Problem.at(file, root.keyLocation("profiles"), what, expected)
          : Problem.unplaced(file, what, expected));
    }

    boolean isDeclaredVar(String v) {
      YNode vs = root.get("vars");
      return vs != null && vs.isMapping() && vs.fields().containsKey(v);
    }

    void expandDecl(String template, JsonLocation keyLoc, YNode node,
        Map<String, List<YNode>> vars, List<Decl> out) {
      if (!node.isMapping()) {
        problem(node.location(), "stage '" + template + "' is " + node.describe(),
            "a mapping with kind, params, needs, ...");
        return;
      }
      for (String k : node.fields().keySet()) {
        if (!STAGE_KEYS.contains(k)) {
          problem(node.keyLocation(k), "unknown stage field '" + k + "' in stage '" + template
              + "'", "one of " + new TreeSet<>(STAGE_KEYS));
        }
      }
      YNode kind = node.get("kind");
      if (kind == null) {
        problem(keyLoc, "stage '" + template + "' has no kind", "kind: one of " + kinds.names());
      } else if (!kind.isText()) {
        problem(kind.location(), "kind " + kind.describe(), "one of " + kinds.names());
      } else if (kinds.find(kind.scalar().asText()).isEmpty()) {
        problem(kind.location(), "unknown kind '" + kind.scalar().asText() + "' in stage '"
            + template + "'", "one of " + kinds.names());
      }
      List<String> foreach = new ArrayList<>();
      YNode fe = node.get("foreach");
      if (fe != null && !fe.isNull()) {
        List<YNode> items = fe.isSequence() ? fe.items() : List.of(fe);
        for (YNode item : items) {
          if (!item.isText()) {
            problem(item.location(), "foreach entry " + item.describe(), "a variable name");
          } else if (!vars.containsKey(item.scalar().asText())) {
            if (!isDeclaredVar(item.scalar().asText())) {
              problem(item.location(), "foreach names unknown variable '"
                  + item.scalar().asText() + "'", "one of " + vars.keySet());
            }
            return;
          } else if (foreach.contains(item.scalar().asText())) {
            problem(item.location(), "foreach names '" + item.scalar().asText() + "' twice",
                "each variable once");
          } else {
            foreach.add(item.scalar().asText());
          }
        }
      }
      List<Map<String, YNode>> grid = new ArrayList<>();
      grid.add(new LinkedHashMap<>());
      for (String v : foreach) {
        List<Map<String, YNode>> next = new ArrayList<>();
        for (Map<String, YNode> b : grid) {
          for (YNode value : vars.get(v)) {
            Map<String, YNode> nb = new LinkedHashMap<>(b);
            nb.put(v, value);
            next.add(nb);
          }
        }
        grid = next;
      }
      for (Map<String, YNode> b : grid) {
        out.add(new Decl(template, node, b));
      }
    }

    /** Substitutes placeholders in every string of a value tree; null after a problem. */
    JsonNode substituteTree(YNode node, Map<String, YNode> binding, String where) {
      switch (node.type()) {
        case SCALAR:
          return node.isText()
              ? substitute(node.scalar().asText(), binding, node.location(), where)
              : node.scalar();
        case SEQUENCE: {
          com.fasterxml.jackson.databind.node.ArrayNode a = F.arrayNode();
          for (YNode i : node.items()) {
            JsonNode v = substituteTree(i, binding, where);
            if (v == null) {
              return null;
            }
            a.add(v);
          }
          return a;
        }
        default: {
          ObjectNode o = F.objectNode();
          for (Map.Entry<String, YNode> e : node.fields().entrySet()) {
            JsonNode v = substituteTree(e.getValue(), binding, where);
            if (v == null) {
              return null;
            }
            o.set(e.getKey(), v);
          }
          return o;
        }
      }
    }

    /**
     * Substitutes the placeholders of {@code text}: a string that is exactly one placeholder
     * takes the value (and its type); otherwise values are spliced in as text. Null after a
     * problem (reported).
     */
    JsonNode substitute(String text, Map<String, YNode> binding, JsonLocation loc,
        String where) {
      Matcher m = PLACEHOLDER.matcher(text);
      StringBuilder sb = new StringBuilder();
      JsonNode single = null;
      int count = 0;
      int last = 0;
      boolean ok = true;
      while (m.find()) {
        count++;
        JsonNode v = lookup(m.group(1), binding, loc, where);
        if (v == null) {
          ok = false;
          continue;
        }
        single = v;
        sb.append(text, last, m.start()).append(Canonical.text(v));
        last = m.end();
      }
      if (!ok) {
        return null;
      }
      if (count == 1 && text.startsWith("{") && text.endsWith("}")
          && m.reset().find() && m.start() == 0 && m.end() == text.length()) {
        return single;
      }
      sb.append(text.substring(last));
      return F.textNode(sb.toString());
    }

    JsonNode lookup(String inner, Map<String, YNode> binding, JsonLocation loc, String where) {
      Matcher n = PLACEHOLDER_NAME.matcher(inner);
      String known = "one of {profile}" + binding.entrySet().stream().map(e -> e.getValue()
          .isMapping() ? e.getValue().fields().keySet().stream()
              .map(f -> ", {" + e.getKey() + "." + f + "}").reduce("", String::concat)
              : ", {" + e.getKey() + "}").reduce("", String::concat)
          + " (the variables of this stage's foreach)";
      if (!n.matches()) {
        problem(loc, "unknown placeholder {" + inner + "} in " + where, known);
        return null;
      }
      String var = n.group(1);
      String field = n.group(2);
      if (var.equals("profile") && field == null) {
        return F.textNode(profile);
      }
      YNode value = binding.get(var);
      if (value == null) {
        problem(loc, "unknown placeholder {" + inner + "} in " + where, known);
        return null;
      }
      if (field == null) {
        if (!value.isScalar()) {
          problem(loc, "placeholder {" + inner + "} in " + where + " names a mapping",
              known);
          return null;
        }
        return value.scalar();
      }
      YNode f = value.isMapping() ? value.get(field) : null;
      if (f == null) {
        problem(loc, "unknown placeholder {" + inner + "} in " + where, known);
        return null;
      }
      return f.scalar();
    }

    /** The chosen profile's {@code set}: each entry is an {@link #override}. */
    void applyProfileSets(YNode profileNode, Map<String, Decl> byName,
        Map<String, ObjectNode> givenParams) {
      if (profileNode == null || profileNode.get("set") == null
          || !profileNode.get("set").isMapping()) {
        return;
      }
      YNode set = profileNode.get("set");
      for (Map.Entry<String, YNode> e : set.fields().entrySet()) {
        String key = e.getKey();
        JsonLocation loc = set.keyLocation(key);
        int dot = key.lastIndexOf('.');
        if (dot <= 0 || dot == key.length() - 1) {
          setProblem(loc, "bad profile key '" + key + "' in profile '" + profile + "'",
              "'<stage glob>.<param>', like 'train-*.steps'");
          continue;
        }
        JsonNode value = substituteTree(e.getValue(), Map.of(), "profile key '" + key + "'");
        if (value == null) {
          continue;
        }
        String sets = "profile '" + profile + "' sets '" + key + "' to "
            + e.getValue().describe();
        Rejection r = override(key.substring(0, dot), key.substring(dot + 1), value, byName,
            givenParams, new Origin(e.getValue().location(), sets, null));
        if (r != null && r.ofValue()) {
          setProblem(e.getValue().location(), sets, r.expected());
        } else if (r != null) {
          setProblem(loc, "bad profile key '" + key + "' in profile '" + profile + "': "
              + r.what(), r.expected());
        }
      }
    }

    /** The command line's {@code --set}s, after the profile: each is an {@link #override}. */
    void applyOverrides(Map<String, Decl> byName, Map<String, ObjectNode> givenParams) {
      for (ParamOverride o : overrides) {
        Rejection r = override(o.stages(), o.param(), o.value(), byName, givenParams,
            new Origin(null, null, o.argument()));
        if (r != null) {
          problems.add(Problem.unplaced("--set '" + o.argument() + "'", r.what(), r.expected()));
        }
      }
    }

    /** Why an override was not applied; {@code ofValue}: the value is wrong, not the key. */
    record Rejection(String what, String expected, boolean ofValue) {}

    /**
     * Sets {@code param} to {@code value} in every stage the glob {@code stages} matches, when
     * each matching stage's kind accepts it as it would from the file ({@link
     * StageParams#check}); else changes nothing and says why.
     */
    Rejection override(String stages, String param, JsonNode value, Map<String, Decl> byName,
        Map<String, ObjectNode> givenParams, Origin origin) {
      Glob g = Glob.of(stages);
      List<String> hits = byName.keySet().stream().filter(g::matches).toList();
      if (hits.isEmpty()) {
        return new Rejection("'" + g + "' matches no stage",
            "a glob over " + Pipeline.sample(byName.keySet()), false);
      }
      Map<String, ParamProblem> unknownIn = new TreeMap<>();
      Map<String, ParamProblem> wrongIn = new TreeMap<>();
      for (String h : hits) {
        StageKind kind = kindOf(byName.get(h));
        if (kind == null) {
          continue;
        }
        StageParams.check(kind.params(), param, value).ifPresent(pp ->
            (pp.issue() == ParamProblem.Issue.UNKNOWN ? unknownIn : wrongIn)
                .put(kind.name(), pp));
      }
      if (!unknownIn.isEmpty()) {
        Set<String> expected = new LinkedHashSet<>();
        unknownIn.values().forEach(pp -> expected.add(pp.expected()));
        return new Rejection("kind " + unknownIn.keySet() + " has no param '" + param + "'",
            expected.size() == 1 ? expected.iterator().next()
                : "a param declared by every matching stage's kind", false);
      }
      if (!wrongIn.isEmpty()) {
        Set<String> expected = new LinkedHashSet<>();
        wrongIn.values().forEach(pp -> expected.add(pp.expected()));
        ParamProblem first = wrongIn.values().iterator().next();
        return new Rejection("param '" + param + "' " + first.what(),
            String.join(" or ", expected), true);
      }
      for (String h : hits) {
        ObjectNode params = givenParams.get(h);
        Map<String, JsonNode> was = before.computeIfAbsent(h, k -> new LinkedHashMap<>());
        if (!was.containsKey(param)) {
          was.put(param, params.get(param));
        }
        origins.computeIfAbsent(h, k -> new LinkedHashMap<>()).put(param, origin);
        params.set(param, value);
      }
      return null;
    }

    /**
     * Adds the stages a {@code needs} (or {@code optional_needs}) entry names to the needs of
     * {@code stage}; an optional entry may name no stage (a warm start that exists only for
     * some of a foreach's values).
     */
    private void resolveNeed(YNode item, Decl d, String stage, boolean optional,
        Map<String, Decl> byName, Map<String, List<String>> needsOf) {
      String field = optional ? "optional_needs" : "needs";
      if (!item.isText()) {
        problem(item.location(), "stage '" + d.template() + "': " + field + " entry "
            + item.describe(), "a stage name or glob (a string)");
        return;
      }
      JsonNode g = substitute(item.scalar().asText(), d.binding(), item.location(),
          field + " entry");
      if (g == null) {
        return;
      }
      String glob = Canonical.text(g);
      Glob pattern = Glob.of(glob);
      List<String> hits = byName.keySet().stream()
          .filter(n -> Glob.isGlob(glob) ? pattern.matches(n) : n.equals(glob)).toList();
      if (hits.isEmpty() && !optional) {
        problem(item.location(), "stage '" + stage + "' needs '" + glob
            + "', which matches no stage", "a stage name or glob over "
            + Pipeline.sample(byName.keySet()) + " (or an optional_needs entry)");
      } else if (hits.contains(stage)) {
        problem(item.location(), "stage '" + stage + "' needs '" + glob
            + "', which matches the stage itself", "a glob over other stages only");
      } else {
        for (String h : hits) {
          if (!needsOf.get(stage).contains(h)) {
            needsOf.get(stage).add(h);
          }
        }
      }
    }

    void findCycles(Map<String, List<String>> needsOf, Map<String, Decl> byName,
        YNode stagesNode) {
      Map<String, Integer> color = new LinkedHashMap<>();
      Set<String> reported = new LinkedHashSet<>();
      for (String s : needsOf.keySet()) {
        dfs(s, needsOf, color, new ArrayList<>(), byName, stagesNode, reported);
      }
    }

    void dfs(String s, Map<String, List<String>> needsOf, Map<String, Integer> color,
        List<String> path, Map<String, Decl> byName, YNode stagesNode, Set<String> reported) {
      Integer c = color.get(s);
      if (c != null && c == 2) {
        return;
      }
      if (c != null && c == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(s), path.size()));
        cycle.add(s);
        String text = String.join(" -> ", cycle);
        if (reported.add(new TreeSet<>(cycle).toString())) {
          problem(stagesNode.keyLocation(byName.get(s).template()), "cycle " + text,
              "needs without cycles");
        }
        return;
      }
      color.put(s, 1);
      path.add(s);
      // a stage needs its upstreams: follow needs edges; print in data-flow order reversed
      for (String u : needsOf.getOrDefault(s, List.of())) {
        dfs(u, needsOf, color, path, byName, stagesNode, reported);
      }
      path.remove(path.size() - 1);
      color.put(s, 2);
    }
  }

  /** Whether the scalar text has a placeholder. */
  static boolean hasPlaceholder(String s) {
    return PLACEHOLDER.matcher(s).find();
  }
}
