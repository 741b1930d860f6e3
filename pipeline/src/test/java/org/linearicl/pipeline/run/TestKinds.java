package org.linearicl.pipeline.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.experiments.stage.ParamSpec;
import org.linearicl.experiments.stage.ParamType;
import org.linearicl.experiments.stage.StageContext;
import org.linearicl.experiments.stage.StageException;
import org.linearicl.experiments.stage.StageInputs;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageKinds;
import org.linearicl.experiments.stage.StageParams;

/**
 * Test-only stage kinds, counting their runs by stage name.
 * <ul>
 *   <li>{@code source}: out.txt = value + suffix (param {@code note} is ignored: early cutoff)
 *   <li>{@code concat}: out.txt = the inputs' out.txt in name order joined by '+', + suffix
 *   <li>{@code fail}: throws a StageException("boom")
 *   <li>{@code nospace}: turns the directory {@code dir} into a file (a write there fails)
 *   <li>{@code slow}: sleeps {@code millis} (or -Dslow.millis), reporting progress
 *   <li>{@code typed}: params of every type, out.txt = the params' JSON
 * </ul>
 */
public final class TestKinds {
  public final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final int concatVersion;

  public TestKinds() {
    this(1);
  }

  public TestKinds(int concatVersion) {
    this.concatVersion = concatVersion;
  }

  public int runs(String stage) {
    AtomicInteger n = runs.get(stage);
    return n == null ? 0 : n.get();
  }

  public int totalRuns() {
    return runs.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  interface Body {
    Artifact run(StageParams p, StageInputs in, StageContext c) throws Exception;
  }

  final class Kind implements StageKind {
    private final String name;
    private final int version;
    private final List<ParamSpec> params;
    private final Body body;

    Kind(String name, int version, List<ParamSpec> params, Body body) {
      this.name = name;
      this.version = version;
      this.params = params;
      this.body = body;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int version() {
      return version;
    }

    @Override
    public String description() {
      return "test kind " + name;
    }

    @Override
    public List<ParamSpec> params() {
      return params;
    }

    @Override
    public Artifact run(StageParams p, StageInputs in, StageContext c) throws Exception {
      runs.computeIfAbsent(c.stageName(), k -> new AtomicInteger()).incrementAndGet();
      return body.run(p, in, c);
    }
  }

  public StageKinds kinds() {
    List<StageKind> k = new ArrayList<>();
    k.add(new Kind("source", 1, List.of(
        ParamSpec.required("value", ParamType.STRING, "the text"),
        ParamSpec.optional("suffix", ParamType.STRING, "\"\"", "appended"),
        ParamSpec.optional("note", ParamType.STRING, "\"\"", "ignored")),
        (p, in, c) -> Artifact.ofText("out.txt", p.string("value") + p.string("suffix"))));
    k.add(new Kind("concat", concatVersion, List.of(
        ParamSpec.optional("suffix", ParamType.STRING, "\"\"", "appended"),
        ParamSpec.optional("file", ParamType.STRING, "\"out.txt\"", "output file name")),
        (p, in, c) -> {
          java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
          for (Artifact a : in.all().values()) {
            if (bo.size() > 0) {
              bo.write('+');
            }
            bo.write(a.bytes(a.names().first()));
          }
          bo.write(p.string("suffix").getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return Artifact.builder().bytes(p.string("file"), bo.toByteArray()).build();
        }));
    k.add(new Kind("nospace", 1, List.of(ParamSpec.required("dir", ParamType.STRING,
        "the store's objects directory")), (p, in, c) -> {
          // the directory the store writes the artifact into becomes a file: the write fails
          // as it does on a full disk
          java.nio.file.Path d = java.nio.file.Path.of(p.string("dir"));
          try (var files = java.nio.file.Files.walk(d)) {
            for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder())
                .toList()) {
              java.nio.file.Files.delete(f);
            }
          }
          java.nio.file.Files.writeString(d, "not a directory");
          return Artifact.ofText("out.txt", "x");
        }));
    k.add(new Kind("fail", 1, List.of(), (p, in, c) -> {
      org.apache.logging.log4j.LogManager.getLogger("test.fail").warn("about to fail");
      throw new StageException("boom");
    }));
    k.add(new Kind("slow", 1, List.of(
        ParamSpec.optional("millis", ParamType.INTEGER, "0", "sleep"),
        ParamSpec.optional("size", ParamType.INTEGER, "16", "output bytes")),
        (p, in, c) -> {
          long ms = Math.max(p.integer("millis"), Long.getLong("slow.millis", 0));
          long t0 = System.currentTimeMillis();
          while (System.currentTimeMillis() - t0 < ms) {
            c.progress((System.currentTimeMillis() - t0) / (double) ms, "sleeping");
            Thread.sleep(Math.min(50, ms));
          }
          byte[] b = new byte[p.int32("size")];
          for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
          }
          return Artifact.builder().bytes("data.bin", b).build();
        }));
    k.add(new Kind("typed", 1, List.of(
        ParamSpec.required("n", ParamType.INTEGER, "an integer"),
        ParamSpec.optional("x", ParamType.NUMBER, "0.5", "a number"),
        ParamSpec.optional("name", ParamType.STRING, "\"\"", "a string"),
        ParamSpec.optional("flag", ParamType.BOOLEAN, "false", "a flag"),
        ParamSpec.optional("list", ParamType.STRING_LIST, "[]", "strings")),
        (p, in, c) -> Artifact.ofText("params.json", p.toJson().toString())));
    k.add(new StampedKind());
    return StageKinds.of(k);
  }

  /** Writes "page.txt" = "MARK"; published, MARK becomes one "stage key wall" line per run. */
  final class StampedKind implements StageKind, org.linearicl.experiments.stage.Provenanced {
    @Override
    public String name() {
      return "stamped";
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public String description() {
      return "test kind stamped";
    }

    @Override
    public List<ParamSpec> params() {
      return List.of();
    }

    @Override
    public Artifact run(StageParams p, StageInputs in, StageContext c) {
      runs.computeIfAbsent(c.stageName(), x -> new AtomicInteger()).incrementAndGet();
      return Artifact.ofText("page.txt", "MARK");
    }

    @Override
    public byte[] stamp(String name, byte[] content, String profile, List<StageRun> list) {
      StringBuilder b = new StringBuilder(profile).append('\n');
      list.forEach(r -> b.append(r.stage()).append(' ').append(r.key()).append(' ')
          .append(r.wallSeconds()).append('\n'));
      return new String(content, java.nio.charset.StandardCharsets.UTF_8)
          .replace("MARK", b).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
