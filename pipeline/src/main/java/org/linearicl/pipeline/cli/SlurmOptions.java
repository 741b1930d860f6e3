package org.linearicl.pipeline.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.linearicl.pipeline.run.RunOptions;
import org.linearicl.pipeline.spec.ParamOverride;
import org.linearicl.pipeline.spec.SlurmSpec;

/** The {@code --slurm-*} options of {@code run} and the command line of a stage's job. */
final class SlurmOptions {
  private SlurmOptions() {}

  /**
   * The file's {@code slurm:} block with the command line's options applied: a partition or
   * account replaces the file's; {@code KIND=VALUE} sets one kind's value, a bare {@code VALUE}
   * every kind's (the file's per-kind values included).
   */
  static SlurmSpec resources(SlurmSpec file, String partition, String account,
      List<String> time, List<String> mem, List<String> cpus, Collection<String> kinds) {
    String part = file.partition();
    if (partition != null) {
      check("--slurm-partition", partition, SlurmSpec.nameProblem(partition));
      part = partition;
    }
    String acct = file.account();
    if (account != null) {
      check("--slurm-account", account, SlurmSpec.nameProblem(account));
      acct = account;
    }
    SlurmSpec.Resources defaults = file.defaults();
    Map<String, SlurmSpec.Resources> byKind = new HashMap<>(file.byKind());
    for (String v : time) {
      Setting s = Setting.parse("--slurm-time", v, kinds);
      check("--slurm-time", v, SlurmSpec.timeProblem(s.value()));
      Function<SlurmSpec.Resources, SlurmSpec.Resources> f =
          r -> new SlurmSpec.Resources(s.value(), r.mem(), r.cpus());
      Function<SlurmSpec.Resources, SlurmSpec.Resources> clear =
          r -> new SlurmSpec.Resources(null, r.mem(), r.cpus());
      defaults = apply(s, defaults, byKind, f, clear);
    }
    for (String v : mem) {
      Setting s = Setting.parse("--slurm-mem", v, kinds);
      check("--slurm-mem", v, SlurmSpec.memProblem(s.value()));
      defaults = apply(s, defaults, byKind,
          r -> new SlurmSpec.Resources(r.time(), s.value(), r.cpus()),
          r -> new SlurmSpec.Resources(r.time(), null, r.cpus()));
    }
    for (String v : cpus) {
      Setting s = Setting.parse("--slurm-cpus", v, kinds);
      int n;
      try {
        n = Integer.parseInt(s.value());
      } catch (NumberFormatException e) {
        n = -1;
      }
      check("--slurm-cpus", v, SlurmSpec.cpusProblem(n));
      int count = n;
      defaults = apply(s, defaults, byKind,
          r -> new SlurmSpec.Resources(r.time(), r.mem(), count),
          r -> new SlurmSpec.Resources(r.time(), r.mem(), null));
    }
    return new SlurmSpec(part, acct, defaults, byKind);
  }

  private static SlurmSpec.Resources apply(Setting s, SlurmSpec.Resources defaults,
      Map<String, SlurmSpec.Resources> byKind,
      Function<SlurmSpec.Resources, SlurmSpec.Resources> set,
      Function<SlurmSpec.Resources, SlurmSpec.Resources> clear) {
    if (s.kind() == null) {
      byKind.replaceAll((k, r) -> clear.apply(r));
      return set.apply(defaults);
    }
    byKind.put(s.kind(), set.apply(byKind.getOrDefault(s.kind(),
        new SlurmSpec.Resources(null, null, null))));
    return defaults;
  }

  private static void check(String option, String value, String problem) {
    if (problem != null) {
      throw new UserError(option + " '" + value + "': expected " + problem);
    }
  }

  /** One {@code [KIND=]VALUE} argument. */
  record Setting(String kind, String value) {
    static Setting parse(String option, String arg, Collection<String> kinds) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        return new Setting(null, arg);
      }
      String kind = arg.substring(0, eq);
      if (!kinds.contains(kind)) {
        throw new UserError(option + " '" + arg + "': unknown stage kind '" + kind
            + "'; expected VALUE or KIND=VALUE with KIND one of " + new TreeSet<>(kinds));
      }
      return new Setting(kind, arg.substring(eq + 1));
    }
  }

  /**
   * What each job runs: this java with the SIMD kernel, the runnable jar (or, outside it, the
   * same class path), and {@code run STAGE --stage-job} on the same pipeline file, profile,
   * overrides and cache, all paths absolute (the job starts elsewhere, on a node).
   */
  static List<String> jobCommand(String profile, Path file, Path cacheDir,
      List<ParamOverride> overrides) {
    List<String> c = new ArrayList<>(javaCommand());
    c.addAll(List.of("run", RunOptions.Slurm.STAGE, "--stage-job", "--profile", profile,
        "--file", file.toAbsolutePath().normalize().toString(),
        "--cache-dir", cacheDir.toAbsolutePath().normalize().toString(),
        "--progress-seconds", "0"));
    for (ParamOverride o : overrides) {
      c.add("--set");
      c.add(o.argument());
    }
    return c;
  }

  /** The java of this process with the runnable jar, or the class path, and the main class. */
  static List<String> javaCommand() {
    List<String> c = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector"));
    Path code;
    try {
      code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      code = null;
    }
    if (code != null && Files.isRegularFile(code) && code.toString().endsWith(".jar")) {
      c.addAll(List.of("-jar", code.toAbsolutePath().toString()));
    } else {
      c.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    }
    return c;
  }
}
