package org.linearicl.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.ChecksummedJson;

/**
 * {@code <results-dir>/<profile>/published.json}: every file the runner published there, with
 * the stage, the stage's cache key and the file's SHA-256, so that {@code status} can tell
 * whether results/ shows what the current pipeline would publish. Written atomically after the
 * files, with its own checksum; it holds no times, so republishing the same results gives the
 * same bytes. The runner's {@link Timings#FILE} is listed with stage {@link Timings#STAGE} and
 * no key or digest: its bytes change whenever a stage reruns.
 */
final class Published {
  /** The file name, reserved: no stage may publish a file of this name. */
  static final String FILE = "published.json";

  private Published() {}

  /** One published file: who published it, from which key, with which content. */
  record Entry(String stage, String key, String digest) {}

  /** The entries by file name (relative to the profile's directory); empty when none. */
  static SortedMap<String, Entry> read(Path dir) throws CorruptArtifactException, IOException {
    Path p = dir.resolve(FILE);
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    }
    ObjectNode body = ChecksummedJson.open(p, b, Set.of()).body();
    SortedMap<String, Entry> out = new TreeMap<>();
    JsonNode files = body.path("files");
    if (!files.isObject()) {
      throw new CorruptArtifactException(p, p + ": no 'files' object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String stage = e.getValue().path("stage").textValue();
      String key = e.getValue().path("key").textValue();
      String digest = e.getValue().path("digest").textValue();
      if (stage == null || key == null || digest == null) {
        throw new CorruptArtifactException(p, p + ": entry '" + e.getKey() + "' lacks stage,"
            + " key or digest");
      }
      out.put(e.getKey(), new Entry(stage, key, digest));
    }
    return out;
  }

  /** Writes {@code entries} for {@code profile} into {@code dir}. */
  static void write(Path dir, String profile, SortedMap<String, Entry> entries)
      throws IOException {
    ObjectNode o = Json.TREES.createObjectNode();
    o.put("profile", profile);
    ObjectNode files = o.putObject("files");
    entries.forEach((name, e) -> {
      ObjectNode f = files.putObject(name);
      f.put("stage", e.stage());
      f.put("key", e.key());
      f.put("digest", e.digest());
    });
    AtomicFiles.write(dir.resolve(FILE), ChecksummedJson.seal(o));
  }
}
