package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.analysis.AtomicFiles;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.artifacts.Json;
import org.linearicl.experiments.stage.Artifact;

/**
 * The content-addressed artifact store under one directory:
 * <pre>
 *   objects/&lt;sha256 of bytes&gt;        file contents
 *   artifacts/&lt;digest&gt;.manifest      an Artifact's manifest (its digest is the manifest's SHA-256)
 *   records/&lt;key&gt;.json              action records (written last: the commit point)
 *   index/&lt;stage&gt;.json              the latest key of a stage name
 *   claims/&lt;stage&gt;.lock             held by the one writer computing the stage
 *   tmp/&lt;writer&gt;/ quarantine/ logs/ lock
 * </pre>
 * Every write goes through the writer's own directory under tmp/, fsync and an atomic rename;
 * every read re-hashes the bytes: objects and manifests are named by their digest, records and
 * index entries carry their own checksum ({@link ChecksummedJson}). Logs are written for people
 * and never read back.
 *
 * <p>Several processes, on one machine or on the nodes of a cluster sharing the directory, may
 * write at once: objects and manifests are write-once (the first writer's file stays; a later one
 * verifies it and moves on), a stage is computed and committed only under its claim
 * ({@link #claim}), and each process keeps its temporary files in a directory of its own, which
 * {@link #cleanTmp} removes only once the process holding it is gone.
 */
public final class Store {
  private static final Logger LOG = LogManager.getLogger(Store.class);
  /** The environment variable naming the cache directory. */
  public static final String ENV = "LINEAR_ICL_CACHE";

  private final Path root;
  private final boolean readOnly;
  private final AtomicBoolean legacyWarned = new AtomicBoolean();
  private volatile Tier tier;

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

  /**
   * A second cache behind this one (the remote cache): asked for a record this store lacks, and
   * told of every record committed here. Only a writable store consults it.
   */
  public interface Tier {
    /**
     * Copies the record of {@code key} and its artifact into {@code store}, checked against their
     * digests, and returns the record; empty when the tier has no valid copy (reported there).
     *
     * @throws IOException when writing into {@code store} fails
     */
    Optional<ActionRecord> fetch(String key, Store store) throws IOException;

    /** Called after {@code r} and its artifact were committed to {@code store}. */
    void committed(ActionRecord r, Store store);
  }

  /** Puts {@code t} (null: none) behind this store; returns this store. */
  public Store tier(Tier t) {
    this.tier = t;
    return this;
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

  public Path claims() {
    return root.resolve("claims");
  }

  /** The lock file a writer holds while it computes and commits {@code stage}. */
  public Path claimFile(String stage) {
    return claims().resolve(stage + ".lock");
  }

  /**
   * Claims {@code stage} for this writer: waits (telling {@code notice} once) while another
   * writer, in this process or another, computes it. The caller looks for the stage's record
   * again once it holds the claim: the other writer may have committed it.
   */
  public StoreLock claim(String stage, Consumer<String> notice) throws IOException {
    Path f = claimFile(stage);
    return StoreLock.acquire(f, true, notice, "waiting for stage " + stage
        + ", which another writer is computing (" + f + ")");
  }

  /** Each process's temporary directory under tmp/, by store root. */
  private static final Map<Path, Path> WRITER_TMP = new ConcurrentHashMap<>();
  /** The locks that mark those directories as in use; held until the process exits. */
  private static final List<FileChannel> ALIVE = new CopyOnWriteArrayList<>();
  private static final String ALIVE_FILE = ".alive";

  /**
   * This process's directory for temporary files: tmp/&lt;pid&gt;-&lt;host&gt;-&lt;random&gt;/, made on
   * first use and marked as in use by a lock on its {@code .alive} file that the operating
   * system drops when the process dies.
   */
  Path writerTmp() throws IOException {
    Path d = WRITER_TMP.get(root);
    if (d != null) {
      return d;
    }
    synchronized (WRITER_TMP) {
      d = WRITER_TMP.get(root);
      if (d == null) {
        String host;
        try {
          host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]",
              "_");
        } catch (java.net.UnknownHostException e) {
          host = "unknown";
        }
        Files.createDirectories(tmp());
        d = Files.createTempDirectory(tmp(), ProcessHandle.current().pid() + "-" + host + "-");
        FileChannel ch = FileChannel.open(d.resolve(ALIVE_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        ch.lock();
        ALIVE.add(ch);
        if (WRITER_TMP.isEmpty()) {
          // an orderly exit leaves no directory behind (a crash's is removed by cleanTmp)
          Runtime.getRuntime().addShutdownHook(new Thread(Store::removeWriterDirs,
              "cache-tmp-cleanup"));
        }
        WRITER_TMP.put(root, d);
      }
      return d;
    }
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

  /** What is at the store's root. */
  public enum Presence {
    /** Nothing, an empty directory, or only the runner's bookkeeping (lock, tmp/, logs/). */
    NONE,
    /** A cache. */
    CACHE,
    /** A file, or a directory that is not a cache. */
    OTHER
  }

  /** What is at {@link #root()} (a directory holding objects/, artifacts/, records/ or index/). */
  public Presence presence() throws IOException {
    if (!Files.exists(root)) {
      return Presence.NONE;
    }
    if (!Files.isDirectory(root)) {
      return Presence.OTHER;
    }
    boolean data = false;
    for (Path d : List.of(objects(), artifacts(), records(), index())) {
      if (Files.exists(d)) {
        if (!Files.isDirectory(d)) {
          return Presence.OTHER;
        }
        data = true;
      }
    }
    if (data) {
      return Presence.CACHE;
    }
    Set<Path> bookkeeping = Set.of(tmp(), quarantine(), logs(), lockFile(), claims());
    try (Stream<Path> s = Files.list(root)) {
      return s.allMatch(bookkeeping::contains) ? Presence.NONE : Presence.OTHER;
    }
  }

  /** Creates the directories. */
  public void init() throws IOException {
    for (Path p : List.of(objects(), artifacts(), records(), index(), tmp(), quarantine(),
        logs(), claims())) {
      Files.createDirectories(p);
    }
  }

  private static void removeWriterDirs() {
    for (FileChannel ch : ALIVE) {
      try {
        ch.close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
    for (Path d : WRITER_TMP.values()) {
      try {
        deleteTree(d);
      } catch (IOException e) {
        // left for the next cleanTmp
      }
    }
  }

  /**
   * Deletes the leftovers of interrupted writes: the temporary directories of processes that are
   * gone (their {@code .alive} lock is free), and loose files of versions that wrote straight
   * into tmp/ under the runner's lock (call only while holding it).
   */
  public void cleanTmp() throws IOException {
    if (!Files.isDirectory(tmp())) {
      return;
    }
    Path mine = WRITER_TMP.get(root);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp())) {
      for (Path p : ds) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        } else if (!p.equals(mine) && abandoned(p)) {
          deleteTree(p);
        }
      }
    }
  }

  /** Whether no live process holds the {@code .alive} lock of writer directory {@code d}. */
  private static boolean abandoned(Path d) throws IOException {
    Path alive = d.resolve(ALIVE_FILE);
    if (!Files.exists(alive)) {
      // a directory made a moment ago, not yet locked, looks like this too: only when old
      return Files.getLastModifiedTime(d).toMillis() < System.currentTimeMillis() - 3_600_000;
    }
    try (FileChannel ch = FileChannel.open(alive, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return false;
      }
      l.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // held in this process
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static void deleteTree(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // another cleaner got there first
    }
  }

  /**
   * Stores every file of {@code a} and then its manifest, each written once: a file already
   * there (another writer's) is verified and kept, or quarantined and replaced when corrupt.
   * Returns the digest.
   */
  public String put(Artifact a) throws IOException {
    String manifest = a.manifest();
    for (String line : manifest.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      long len = Long.parseLong(parts[1]);
      writeOnce(object(parts[0]), a.bytes(parts[2]), p -> objectValid(p, parts[0], len),
          "object");
    }
    writeOnce(manifest(a.digest()), manifest.getBytes(StandardCharsets.UTF_8),
        p -> objectValid(p, a.digest(), -1), "manifest");
    return a.digest();
  }

  /**
   * Publishes the content-addressed {@code target} unless a valid one is there; a corrupt one
   * is quarantined first. Losing the race to another writer is fine: its file is verified.
   */
  private void writeOnce(Path target, byte[] bytes, Predicate<Path> valid, String what)
      throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (Files.exists(target)) {
        if (valid.test(target)) {
          return;
        }
        quarantine(target, "corrupt " + what + " found while storing");
      }
      if (AtomicFiles.writeOnce(writerTmp(), target, bytes) || valid.test(target)) {
        return;
      }
    }
    throw new IOException(target + ": another writer keeps leaving a corrupt " + what
        + " there; expected the bytes of its digest");
  }

  /** Whether {@code obj} holds bytes of SHA-256 {@code sha} (and length {@code len} unless -1). */
  private static boolean objectValid(Path obj, String sha, long len) {
    try {
      return holds(obj, sha, len);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the bytes of file {@code p} have SHA-256 {@code sha} (and length {@code len} unless
   * -1): the check of every content-addressed file, objects and manifests.
   */
  static boolean holds(Path p, String sha, long len) throws IOException {
    byte[] b = Files.readAllBytes(p);
    return (len < 0 || b.length == len) && Sha256.hex(b).equals(sha);
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
    if (!Sha256.hex(mb).equals(digest)) {
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
      if (bytes.length != len || !Sha256.hex(bytes).equals(parts[0])) {
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

  /**
   * What the store holds for a key: nothing ({@code record} null), a record whose artifact reads
   * back valid ({@code artifact}), or a record whose artifact is missing or corrupt
   * ({@code corrupt} says why; the stage is to be computed again).
   */
  public record Lookup(ActionRecord record, Artifact artifact, String corrupt) {
    /** Whether the key's artifact is here, valid. */
    public boolean hit() {
      return artifact != null;
    }
  }

  /**
   * Looks up {@code key}: its record ({@link #findRecord}, which may fetch it from the
   * {@link Tier}) and the record's artifact, re-hashed ({@link #get}). A corrupt artifact is
   * quarantined (unless read-only) and reported in the result, never returned.
   */
  public Lookup lookup(String key) throws IOException {
    Optional<ActionRecord> r = findRecord(key);
    if (r.isEmpty()) {
      return new Lookup(null, null, null);
    }
    try {
      return new Lookup(r.get(), get(r.get().artifact()), null);
    } catch (CorruptArtifactException e) {
      return new Lookup(r.get(), null, e.getMessage());
    }
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

  /** The fields of a record written before records carried a checksum. */
  private static final Set<String> LEGACY_RECORD = Set.of("schema", "key", "stage", "kind",
      "kind_version", "params", "inputs", "artifact", "provenance");
  /** The fields of an index entry written before index entries carried a checksum. */
  private static final Set<String> LEGACY_INDEX = Set.of("stage", "key", "artifact");

  /** An index entry: the latest committed run of a stage. */
  public record IndexEntry(String stage, String key, String artifact) {}

  /** A checked file's content; {@code legacy}: it was written without a checksum. */
  public record Loaded<T>(T value, boolean legacy) {}

  /** Writes the record (the commit point) and the stage's index entry. */
  public void commit(ActionRecord r) throws IOException {
    writeRecord(r);
    writeIndex(new IndexEntry(r.stage(), r.key(), r.artifact()));
    Tier t = tier;
    if (t != null && !readOnly) {
      t.committed(r, this);
    }
  }

  /** Writes {@code r} with its checksum (also the upgrade of a legacy record). */
  public void writeRecord(ActionRecord r) throws IOException {
    AtomicFiles.write(writerTmp(), record(r.key()), ChecksummedJson.seal(r.toJson()));
  }

  /** Writes the stage's index entry with its checksum. */
  public void writeIndex(IndexEntry e) throws IOException {
    ObjectNode idx = Json.TREES.createObjectNode();
    idx.put("stage", e.stage());
    idx.put("key", e.key());
    idx.put("artifact", e.artifact());
    AtomicFiles.write(writerTmp(), indexFile(e.stage()), ChecksummedJson.seal(idx));
  }

  /**
   * Reads and checks the record of {@code key} without acting on what it finds; empty when
   * there is none.
   *
   * @throws CorruptArtifactException when its checksum fails, it does not parse, its
   *     ingredients do not hash to its key, or it is the record of another key
   */
  public Optional<Loaded<ActionRecord>> loadRecord(String key)
      throws CorruptArtifactException, IOException {
    Path p = record(key);
    Optional<ChecksummedJson.Opened> o = open(p, LEGACY_RECORD);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    ActionRecord r;
    try {
      r = ActionRecord.fromJson(o.get().body());
    } catch (RuntimeException e) {
      throw new CorruptArtifactException(p, p + ": malformed record: " + e.getMessage());
    }
    if (!r.key().equals(key)) {
      throw new CorruptArtifactException(p, p + ": the record of another key (" + r.key() + ")");
    }
    return Optional.of(new Loaded<>(r, o.get().legacy()));
  }

  /**
   * The record of {@code key}; empty when there is none. A corrupt record is reported naming
   * its file, quarantined (unless read-only) and never returned: its stage is not cached. A
   * legacy record is returned and, unless read-only, rewritten with a checksum. A record found
   * in neither is asked of the {@link Tier}, if any.
   */
  public Optional<ActionRecord> findRecord(String key) throws IOException {
    Optional<Loaded<ActionRecord>> l;
    try {
      l = loadRecord(key);
    } catch (CorruptArtifactException e) {
      quarantine(e.path(), "corrupt record (" + e.getMessage() + "); the stage is not cached");
      l = Optional.empty();
    }
    if (l.isPresent() && l.get().legacy()) {
      legacy(record(key));
      if (!readOnly) {
        writeRecord(l.get().value());
      }
    }
    Tier t = tier;
    if (l.isEmpty() && t != null && !readOnly) {
      return t.fetch(key, this);
    }
    return l.map(Loaded::value);
  }

  /**
   * Reads and checks the index entry of {@code stage} without acting on what it finds; empty
   * when there is none.
   *
   * @throws CorruptArtifactException when its checksum fails, it does not parse, or it is not
   *     an entry of {@code stage}
   */
  public Optional<Loaded<IndexEntry>> loadIndex(String stage)
      throws CorruptArtifactException, IOException {
    Path p = indexFile(stage);
    Optional<ChecksummedJson.Opened> o = open(p, LEGACY_INDEX);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode b = o.get().body();
    String st = b.path("stage").textValue();
    String key = b.path("key").textValue();
    String art = b.path("artifact").textValue();
    if (!stage.equals(st) || key == null || !key.matches("[0-9a-f]{64}") || art == null) {
      throw new CorruptArtifactException(p, p + ": not an index entry of stage " + stage);
    }
    return Optional.of(new Loaded<>(new IndexEntry(st, key, art), o.get().legacy()));
  }

  /**
   * The key of the last committed run of {@code stage}, if any. A corrupt index entry is
   * reported naming its file, quarantined and rebuilt from the records (unless read-only: then
   * rebuilt in memory only); a legacy one is used and rewritten with a checksum.
   */
  public Optional<String> lastKey(String stage) throws IOException {
    Optional<Loaded<IndexEntry>> l;
    try {
      l = loadIndex(stage);
    } catch (CorruptArtifactException e) {
      quarantine(e.path(), "corrupt index entry (" + e.getMessage() + "); rebuilt from the"
          + " records");
      return rebuildIndex(stage).map(IndexEntry::key);
    }
    if (l.isPresent() && l.get().legacy()) {
      legacy(indexFile(stage));
      if (!readOnly) {
        writeIndex(l.get().value());
      }
    }
    return l.map(x -> x.value().key());
  }

  /**
   * The index entry of {@code stage} as the records say: its valid record that finished last.
   * Written (unless read-only) when found, deleted when there is none.
   */
  public Optional<IndexEntry> rebuildIndex(String stage) throws IOException {
    ActionRecord best = null;
    Instant bestAt = null;
    for (String k : allRecordKeys()) {
      Optional<ActionRecord> r = findRecord(k);
      if (r.isEmpty() || !r.get().stage().equals(stage)) {
        continue;
      }
      Instant at = finishedAt(r.get());
      if (best == null || at.isAfter(bestAt)) {
        best = r.get();
        bestAt = at;
      }
    }
    Optional<IndexEntry> e = Optional.ofNullable(best)
        .map(r -> new IndexEntry(r.stage(), r.key(), r.artifact()));
    if (!readOnly) {
      if (e.isPresent()) {
        writeIndex(e.get());
      } else {
        Files.deleteIfExists(indexFile(stage));
      }
    }
    return e;
  }

  private static Instant finishedAt(ActionRecord r) {
    try {
      return Instant.parse(r.provenance().path("finished_at").asText());
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private static Optional<ChecksummedJson.Opened> open(Path p, Set<String> legacyFields)
      throws CorruptArtifactException, IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(ChecksummedJson.open(p, b, legacyFields));
  }

  /** Says once per store that files without a checksum are read unchecked. */
  private void legacy(Path p) {
    if (legacyWarned.compareAndSet(false, true)) {
      LOG.warn("{}: written without a checksum (before checksums were added): read unchecked;"
          + " {} (further such files are not reported)", p, readOnly
              ? "'verify --repair' adds the checksums" : "rewritten with a checksum");
    }
  }

  /** Every stage name with an index entry. */
  public List<String> allIndexStages() throws IOException {
    return listNames(index(), ".json");
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
