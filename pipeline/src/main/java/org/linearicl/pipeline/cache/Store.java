package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.experiments.stage.Artifact;

/**
 * The content-addressed artifact store under one directory:
 * <pre>
 *   objects/&lt;sha256 of bytes&gt;        file contents
 *   artifacts/&lt;digest&gt;.manifest      an Artifact's manifest (its digest is the manifest's SHA-256)
 *   records/&lt;key&gt;.json              action records (written last: the commit point)
 *   index/&lt;stage&gt;.json              the latest key of a stage name
 *   tmp/ quarantine/ logs/ lock
 * </pre>
 * Every write goes through tmp/, fsync and an atomic rename; every read re-hashes the bytes.
 */
public final class Store {
  private static final Logger LOG = LogManager.getLogger(Store.class);
  /** The environment variable naming the cache directory. */
  public static final String ENV = "LINEAR_ICL_CACHE";

  private final Path root;
  private final boolean readOnly;

  public Store(Path root) {
    this(root, false);
  }

  /**
   * A store; a read-only one (for dry runs, status, list, show) reports corrupt files but never
   * moves them to quarantine/.
   */
  public Store(Path root, boolean readOnly) {
    this.root = root.toAbsolutePath().normalize();
    this.readOnly = readOnly;
  }

  /** {@code given}, else $LINEAR_ICL_CACHE, else {@code .cache} in {@code workDir}. */
  public static Path locate(Path given, Path workDir) {
    if (given != null) {
      return given;
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return workDir.resolve(".cache");
  }

  public Path root() {
    return root;
  }

  public Path objects() {
    return root.resolve("objects");
  }

  public Path artifacts() {
    return root.resolve("artifacts");
  }

  public Path records() {
    return root.resolve("records");
  }

  public Path index() {
    return root.resolve("index");
  }

  public Path tmp() {
    return root.resolve("tmp");
  }

  public Path quarantine() {
    return root.resolve("quarantine");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path lockFile() {
    return root.resolve("lock");
  }

  public Path object(String sha) {
    return objects().resolve(sha);
  }

  public Path manifest(String digest) {
    return artifacts().resolve(digest + ".manifest");
  }

  public Path record(String key) {
    return records().resolve(key + ".json");
  }

  public Path indexFile(String stage) {
    return index().resolve(stage + ".json");
  }

  public Path log(String stage) {
    return logs().resolve(stage + ".log");
  }

  /** Creates the directories. */
  public void init() throws IOException {
    for (Path p : List.of(objects(), artifacts(), records(), index(), tmp(), quarantine(),
        logs())) {
      Files.createDirectories(p);
    }
  }

  /** Deletes leftovers of interrupted writes (call only while holding the lock). */
  public void cleanTmp() throws IOException {
    if (!Files.isDirectory(tmp())) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp())) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Stores every file of {@code a} and then its manifest; returns the digest. */
  public String put(Artifact a) throws IOException {
    String manifest = a.manifest();
    for (String line : manifest.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      Path obj = object(parts[0]);
      if (Files.exists(obj) && objectValid(obj, parts[0], Long.parseLong(parts[1]))) {
        continue;
      }
      if (Files.exists(obj)) {
        quarantine(obj, "corrupt object found while storing");
      }
      Durable.write(tmp(), obj, a.bytes(parts[2]));
    }
    Durable.write(tmp(), manifest(a.digest()), manifest.getBytes(StandardCharsets.UTF_8));
    return a.digest();
  }

  private static boolean objectValid(Path obj, String sha, long len) {
    try {
      byte[] b = Files.readAllBytes(obj);
      return b.length == len && Artifact.sha256Hex(b).equals(sha);
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the manifest of {@code digest} exists (not verified). */
  public boolean hasArtifact(String digest) {
    return Files.exists(manifest(digest));
  }

  /**
   * Reads artifact {@code digest}, re-hashing the manifest and every file. A mismatch moves the
   * bad file to quarantine/ and throws with its path; nothing corrupt is ever returned.
   */
  public Artifact get(String digest) throws CorruptArtifactException, IOException {
    Path mp = manifest(digest);
    byte[] mb;
    try {
      mb = Files.readAllBytes(mp);
    } catch (NoSuchFileException e) {
      throw new CorruptArtifactException(mp, "artifact " + digest.substring(0, 12)
          + " is missing: no " + mp);
    }
    if (!Artifact.sha256Hex(mb).equals(digest)) {
      quarantine(mp, "manifest does not match its digest");
      throw new CorruptArtifactException(mp, "corrupt manifest " + mp
          + " (moved to quarantine/)");
    }
    Artifact.Builder b = Artifact.builder();
    for (String line : new String(mb, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      Path obj = object(parts[0]);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(obj);
      } catch (NoSuchFileException e) {
        throw new CorruptArtifactException(obj, "object " + obj + " of file '" + parts[2]
            + "' is missing");
      }
      long len = Long.parseLong(parts[1]);
      if (bytes.length != len || !Artifact.sha256Hex(bytes).equals(parts[0])) {
        quarantine(obj, "corrupt");
        throw new CorruptArtifactException(obj, "corrupt object " + obj + " (file '" + parts[2]
            + "', " + (bytes.length != len ? "length " + bytes.length + " instead of " + len
                : "SHA-256 mismatch") + "; moved to quarantine/)");
      }
      b.bytes(parts[2], bytes);
    }
    Artifact a = b.build();
    if (!a.digest().equals(digest)) {
      throw new CorruptArtifactException(mp, "artifact " + mp + " rebuilds to another digest");
    }
    return a;
  }

  /** Moves {@code p} to quarantine/ (with a unique suffix) and logs why. */
  public Path quarantine(Path p, String why) throws IOException {
    if (readOnly) {
      LOG.warn("{}: {} (read-only: left in place)", p, why);
      return p;
    }
    Files.createDirectories(quarantine());
    Path dest = quarantine().resolve(p.getFileName() + "." + System.currentTimeMillis() + "."
        + Long.toHexString(System.nanoTime()));
    try {
      Files.move(p, dest, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return dest;
    } catch (IOException e) {
      Files.move(p, dest, StandardCopyOption.REPLACE_EXISTING);
    }
    LOG.warn("{}: {}; moved to {}", p, why, dest);
    return dest;
  }

  /** Writes the record (the commit point) and the stage's index entry. */
  public void commit(ActionRecord r) throws IOException {
    Durable.write(tmp(), record(r.key()), Json.bytes(r.toJson()));
    ObjectNode idx = Json.MAPPER.createObjectNode();
    idx.put("stage", r.stage());
    idx.put("key", r.key());
    idx.put("artifact", r.artifact());
    Durable.write(tmp(), indexFile(r.stage()), Json.bytes(idx));
  }

  /** The record of {@code key}; empty when there is none. A malformed record is quarantined. */
  public Optional<ActionRecord> findRecord(String key) throws IOException {
    return readRecord(record(key));
  }

  private Optional<ActionRecord> readRecord(Path p) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(ActionRecord.fromJson(Json.parse(b)));
    } catch (IOException | RuntimeException e) {
      quarantine(p, "malformed record: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The key of the last committed run of {@code stage}, if any. */
  public Optional<String> lastKey(String stage) throws IOException {
    Path p = indexFile(stage);
    try {
      JsonNode n = Json.parse(Files.readAllBytes(p));
      return Optional.ofNullable(n.path("key").textValue());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Every record file name's key. */
  public List<String> allRecordKeys() throws IOException {
    return listNames(records(), ".json");
  }

  /** Every stored artifact digest. */
  public List<String> allArtifactDigests() throws IOException {
    return listNames(artifacts(), ".manifest");
  }

  /** Every object name. */
  public List<String> allObjects() throws IOException {
    return listNames(objects(), "");
  }

  private static List<String> listNames(Path dir, String suffix) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length())).sorted().forEach(out::add);
    }
    return out;
  }

  /** The object names listed in a manifest, by file name; empty if unreadable. */
  public Map<String, String> manifestObjects(String digest) {
    Map<String, String> out = new java.util.TreeMap<>();
    try {
      for (String line : Files.readString(manifest(digest)).split("\n")) {
        String[] parts = line.split(" ", 3);
        if (parts.length == 3) {
          out.put(parts[2], parts[0]);
        }
      }
    } catch (IOException e) {
      // empty
    }
    return out;
  }
}
