package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What each stage's job asks Slurm for under {@code run --executor slurm}: the partition and
 * account (empty: the cluster's defaults) and, per stage kind, the time limit, memory and CPUs.
 * The pipeline file's {@code slurm:} block gives the defaults; the command line's
 * {@code --slurm-*} options override them.
 *
 * @param byKind resources of some kinds; what they leave out comes from {@code defaults}
 */
public record SlurmSpec(String partition, String account, Resources defaults,
    Map<String, Resources> byKind) {
  static final Set<String> KEYS = Set.of("partition", "account", "time", "mem", "cpus", "kinds");
  static final Set<String> RESOURCE_KEYS = Set.of("time", "mem", "cpus");

  /** What a job gets when neither the file nor the command line says. */
  public static final Resources BUILT_IN = new Resources("1:00:00", "4G", 1);

  /** The values Slurm accepts for --time: minutes, [days-]hours:minutes[:seconds], days-hours. */
  private static final Pattern TIME = Pattern.compile(
      "\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d+|\\d+-\\d+:\\d{1,2}"
          + "|\\d+-\\d+:\\d{1,2}:\\d{1,2}");
  private static final Pattern MEM = Pattern.compile("[1-9]\\d*[KMGT]?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]*");

  public static final String TIME_EXPECTED = "a Slurm time limit: MINUTES, HOURS:MM:SS,"
      + " DAYS-HOURS or DAYS-HOURS:MM:SS, like 2:00:00";
  public static final String MEM_EXPECTED = "a memory size: a positive integer with an optional"
      + " unit K, M, G or T (megabytes without one), like 4G";
  public static final String CPUS_EXPECTED = "a whole number of CPUs from 1 to 1024";
  public static final String NAME_EXPECTED = "a Slurm name (letters, digits and _.+-), or \"\""
      + " for the cluster's default";

  /** Time limit, memory and CPUs of one job; a null field: not said here. */
  public record Resources(String time, String mem, Integer cpus) {
    /** This, with what it leaves out taken from {@code base}. */
    public Resources over(Resources base) {
      return new Resources(time != null ? time : base.time, mem != null ? mem : base.mem,
          cpus != null ? cpus : base.cpus);
    }
  }

  public SlurmSpec {
    partition = partition == null ? "" : partition;
    account = account == null ? "" : account;
    defaults = defaults == null ? BUILT_IN : defaults.over(BUILT_IN);
    byKind = Map.copyOf(byKind);
  }

  /** No {@code slurm:} block: the built-in defaults. */
  public static SlurmSpec none() {
    return new SlurmSpec("", "", BUILT_IN, Map.of());
  }

  /** The resources of a job of {@code kind}. */
  public Resources of(String kind) {
    Resources r = byKind.get(kind);
    return r == null ? defaults : r.over(defaults);
  }

  /** Why {@code v} is not a Slurm time limit, or null when it is. */
  public static String timeProblem(String v) {
    return TIME.matcher(v).matches() ? null : TIME_EXPECTED;
  }

  /** Why {@code v} is not a memory size, or null when it is. */
  public static String memProblem(String v) {
    return MEM.matcher(v).matches() ? null : MEM_EXPECTED;
  }

  /** Why {@code v} is not a CPU count, or null when it is. */
  public static String cpusProblem(long v) {
    return v >= 1 && v <= 1024 ? null : CPUS_EXPECTED;
  }

  /** Why {@code v} is not a partition or account name, or null when it is. */
  public static String nameProblem(String v) {
    return NAME.matcher(v).matches() ? null : NAME_EXPECTED;
  }

  /** Where a problem of the block goes: a position, what is wrong, what was expected. */
  interface Problems {
    void add(JsonLocation at, String what, String expected);
  }

  /** Reads the {@code slurm:} block (null: none), reporting each problem at its line. */
  static SlurmSpec read(YNode node, Collection<String> kinds, Problems problems) {
    if (node == null || node.isNull()) {
      return none();
    }
    if (!node.isMapping()) {
      problems.add(node.location(), "'slurm' is " + node.describe(),
          "a mapping with " + new TreeSet<>(KEYS));
      return none();
    }
    for (String k : node.fields().keySet()) {
      if (!KEYS.contains(k)) {
        problems.add(node.keyLocation(k), "unknown key 'slurm." + k + "'",
            "one of " + new TreeSet<>(KEYS));
      }
    }
    String partition = name(node, "partition", problems);
    String account = name(node, "account", problems);
    Resources defaults = resources(node, "slurm", problems);
    Map<String, Resources> byKind = new LinkedHashMap<>();
    YNode ks = node.get("kinds");
    if (ks != null && !ks.isNull()) {
      if (!ks.isMapping()) {
        problems.add(ks.location(), "'slurm.kinds' is " + ks.describe(),
            "a mapping of stage kinds to {time, mem, cpus}");
      } else {
        for (Map.Entry<String, YNode> e : ks.fields().entrySet()) {
          String where = "slurm.kinds." + e.getKey();
          if (!kinds.contains(e.getKey())) {
            problems.add(ks.keyLocation(e.getKey()), "unknown stage kind '" + e.getKey()
                + "' in 'slurm.kinds'", "one of " + new TreeSet<>(kinds));
          } else if (!e.getValue().isMapping()) {
            problems.add(e.getValue().location(), "'" + where + "' is "
                + e.getValue().describe(), "a mapping with " + new TreeSet<>(RESOURCE_KEYS));
          } else {
            for (String k : e.getValue().fields().keySet()) {
              if (!RESOURCE_KEYS.contains(k)) {
                problems.add(e.getValue().keyLocation(k), "unknown key '" + where + "." + k
                    + "'", "one of " + new TreeSet<>(RESOURCE_KEYS));
              }
            }
            byKind.put(e.getKey(), resources(e.getValue(), where, problems));
          }
        }
      }
    }
    return new SlurmSpec(partition, account, defaults, byKind);
  }

  private static String name(YNode block, String key, Problems problems) {
    YNode v = block.get(key);
    if (v == null || v.isNull()) {
      return "";
    }
    String problem = v.isText() ? nameProblem(v.scalar().asText()) : NAME_EXPECTED;
    if (problem != null) {
      problems.add(v.location(), "slurm." + key + " is " + v.describe(), problem);
      return "";
    }
    return v.scalar().asText();
  }

  private static Resources resources(YNode block, String where, Problems problems) {
    String time = null;
    String mem = null;
    Integer cpus = null;
    YNode t = block.get("time");
    if (t != null) {
      // YAML reads 90 as a number and 1:00:00 as text (or, in YAML 1.1, as sexagesimal)
      String s = t.isScalar() && !t.isNull() ? t.scalar().asText() : null;
      if (s == null || timeProblem(s) != null) {
        problems.add(t.location(), where + ".time is " + t.describe(), TIME_EXPECTED
            + " (quoted)");
      } else {
        time = s;
      }
    }
    YNode m = block.get("mem");
    if (m != null) {
      String s = m.isScalar() && !m.isNull() ? m.scalar().asText() : null;
      if (s == null || memProblem(s) != null) {
        problems.add(m.location(), where + ".mem is " + m.describe(), MEM_EXPECTED);
      } else {
        mem = s;
      }
    }
    YNode c = block.get("cpus");
    if (c != null) {
      if (!c.isScalar() || !c.scalar().canConvertToLong() || !c.scalar().isIntegralNumber()
          || cpusProblem(c.scalar().asLong()) != null) {
        problems.add(c.location(), where + ".cpus is " + c.describe(), CPUS_EXPECTED);
      } else {
        cpus = c.scalar().asInt();
      }
    }
    return new Resources(time, mem, cpus);
  }
}
