package org.linearicl.pipeline.cache.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.ChecksummedJson;
import org.linearicl.pipeline.cache.Store;

/**
 * A cache in an S3 bucket with the local layout's content-addressed part:
 * {@code PREFIX/objects/<sha256>}, {@code PREFIX/artifacts/<digest>.manifest} and
 * {@code PREFIX/records/<key>.json}. Behind a {@link Store} it is read through (a record the
 * local cache lacks is fetched with its artifact) and written through (every committed record
 * is uploaded after its objects and manifest, so a record on the remote always has them).
 *
 * <p>Every byte read back is checked as the local store checks it (objects and manifests
 * against their SHA-256 names, records against their checksum and key): a corrupt remote copy
 * is reported and not used, and the stage is recomputed. The remote is write-once: every upload
 * is conditional ({@code If-None-Match: *}); a 412 (another writer was first) counts as present
 * once the copy there is checked. A copy found corrupt is the one thing overwritten, with
 * checked bytes of the same name.
 *
 * <p>A remote that fails mid-run (network) costs a recomputation or an upload, never a stage:
 * failures are logged and counted ({@link #failures()}), and {@code push} retries uploads.
 */
public final class RemoteCache implements Store.Tier, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(RemoteCache.class);
  /** The fields of a record written before records carried a checksum (never uploaded). */
  private static final Set<String> NO_LEGACY = Set.of();

  private final S3Blobs blobs;
  private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
  private final AtomicInteger fetched = new AtomicInteger();
  private final AtomicInteger uploaded = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger uploadFailures = new AtomicInteger();

  public RemoteCache(S3Blobs blobs) {
    this.blobs = blobs;
  }

  /**
   * Opens {@code address} ({@code s3://BUCKET[/PREFIX]}) and checks that the bucket answers to
   * the configured credentials.
   *
   * @throws IllegalArgumentException for a malformed address
   * @throws RemoteException when the bucket cannot be reached or used (403: wrong credentials)
   */
  public static RemoteCache open(String address) throws RemoteException {
    S3Blobs b = S3Blobs.open(RemoteAddress.parse(address));
    try {
      b.probe();
    } catch (RemoteException e) {
      b.close();
      throw e;
    }
    return new RemoteCache(b);
  }

  public RemoteAddress address() {
    return blobs.address();
  }

  /** Stages fetched from the remote so far. */
  public int fetched() {
    return fetched.get();
  }

  /** Records this cache wrote to the remote so far (not those found there already). */
  public int uploaded() {
    return uploaded.get();
  }

  /** Requests that failed (network, permissions) and copies found corrupt, so far. */
  public int failures() {
    return failures.get();
  }

  /** Committed stages whose upload failed so far (`push` uploads them later). */
  public int uploadFailures() {
    return uploadFailures.get();
  }

  static String recordName(String key) {
    return "records/" + key + ".json";
  }

  static String manifestName(String digest) {
    return "artifacts/" + digest + ".manifest";
  }

  static String objectName(String sha) {
    return "objects/" + sha;
  }

  @Override
  public Optional<ActionRecord> fetch(String key, Store store) throws IOException {
    Optional<Fetched> f;
    try {
      f = read(key, store);
    } catch (RemoteException e) {
      failures.incrementAndGet();
      LOG.warn("remote cache: {}; the stage is computed here", e.getMessage());
      return Optional.empty();
    }
    if (f.isEmpty()) {
      return Optional.empty();
    }
    store.put(f.get().artifact());
    store.writeRecord(f.get().record());
    store.writeIndex(new Store.IndexEntry(f.get().record().stage(), key,
        f.get().record().artifact()));
    fetched.incrementAndGet();
    return Optional.of(f.get().record());
  }

  /** A record and its artifact as read from the remote, both checked. */
  public record Fetched(ActionRecord record, Artifact artifact) {}

  /**
   * Reads the record of {@code key} and its artifact from the remote, checking every byte;
   * objects {@code local} already holds intact are read from there. Empty when the remote has
   * no record of the key, or a copy there is corrupt or missing (reported, counted, and
   * remembered so that an upload of the same name replaces it).
   */
  public Optional<Fetched> read(String key, Store local) throws RemoteException {
    String rn = recordName(key);
    Optional<byte[]> rb = blobs.get(rn);
    if (rb.isEmpty()) {
      return Optional.empty();
    }
    try {
      ActionRecord r = checkRecord(key, rb.get());
      return Optional.of(new Fetched(r, readArtifact(r.artifact(), local)));
    } catch (Corrupt e) {
      corrupt.add(e.name);
      failures.incrementAndGet();
      LOG.warn("remote cache: {}: {}; not used, the stage is computed here",
          address().url(e.name), e.getMessage());
      return Optional.empty();
    }
  }

  /** A remote copy that is missing or fails its check; {@code name} is its name. */
  private static final class Corrupt extends Exception {
    private static final long serialVersionUID = 1L;
    private final String name;

    Corrupt(String name, String message) {
      super(message);
      this.name = name;
    }
  }

  private ActionRecord checkRecord(String key, byte[] bytes) throws Corrupt {
    String rn = recordName(key);
    Path label = Path.of(key + ".json");
    ActionRecord r;
    try {
      // records are uploaded with their checksum only: one without is not accepted here
      r = ActionRecord.fromJson(ChecksummedJson.open(label, bytes, NO_LEGACY).body());
    } catch (CorruptArtifactException e) {
      throw new Corrupt(rn, e.getMessage().substring(label.toString().length() + 2));
    } catch (RuntimeException e) {
      throw new Corrupt(rn, "malformed record: " + e.getMessage());
    }
    if (!r.key().equals(key)) {
      throw new Corrupt(rn, "the record of another key (" + r.key() + ")");
    }
    return r;
  }

  private Artifact readArtifact(String digest, Store local) throws Corrupt, RemoteException {
    String mn = manifestName(digest);
    byte[] mb = blobs.get(mn).orElseThrow(() -> new Corrupt(mn, "missing (its record is"
        + " there)"));
    if (!Sha256.hex(mb).equals(digest)) {
      throw new Corrupt(mn, "does not match its digest");
    }
    Artifact.Builder b = Artifact.builder();
    for (String line : new String(mb, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      long len = Long.parseLong(parts[1]);
      byte[] bytes = localObject(local, parts[0], len);
      if (bytes == null) {
        String on = objectName(parts[0]);
        bytes = blobs.get(on).orElseThrow(() -> new Corrupt(on, "missing (file '" + parts[2]
            + "' of artifact " + digest.substring(0, 12) + ")"));
        if (bytes.length != len || !Sha256.hex(bytes).equals(parts[0])) {
          throw new Corrupt(on, "corrupt (file '" + parts[2] + "', " + (bytes.length != len
              ? "length " + bytes.length + " instead of " + len : "SHA-256 mismatch") + ")");
        }
      }
      b.bytes(parts[2], bytes);
    }
    Artifact a = b.build();
    if (!a.digest().equals(digest)) {
      throw new Corrupt(mn, "rebuilds to another digest");
    }
    return a;
  }

  /** The intact local copy of object {@code sha}, else null. */
  private static byte[] localObject(Store local, String sha, long len) {
    if (local == null) {
      return null;
    }
    try {
      byte[] b = Files.readAllBytes(local.object(sha));
      return b.length == len && Sha256.hex(b).equals(sha) ? b : null;
    } catch (IOException e) { // absent or unreadable: read the remote copy
      return null;
    }
  }

  @Override
  public void committed(ActionRecord r, Store store) {
    try {
      upload(r, store);
    } catch (RemoteException | CorruptArtifactException e) {
      failures.incrementAndGet();
      uploadFailures.incrementAndGet();
      LOG.warn("remote cache: stage {} not uploaded: {} (`push` uploads it later)", r.stage(),
          e.getMessage());
    } catch (IOException e) {
      failures.incrementAndGet();
      uploadFailures.incrementAndGet();
      LOG.warn("remote cache: stage {} not uploaded: {} (`push` uploads it later)", r.stage(),
          e.toString());
    }
  }

  /**
   * Uploads {@code r} from {@code store}: its artifact's objects, then its manifest, then the
   * record, each only if the remote lacks it. Returns whether the record was written (false:
   * it was there).
   *
   * @throws CorruptArtifactException when the local artifact fails its check (nothing of it is
   *     uploaded)
   */
  public boolean upload(ActionRecord r, Store store) throws IOException, CorruptArtifactException {
    Artifact a = store.get(r.artifact());
    for (String f : a.names()) {
      byte[] bytes = a.bytes(f);
      String sha = Sha256.hex(bytes);
      putOnce(objectName(sha), bytes, b -> b.length == bytes.length
          && Sha256.hex(b).equals(sha));
    }
    byte[] mb = a.manifest().getBytes(StandardCharsets.UTF_8);
    putOnce(manifestName(a.digest()), mb, b -> Arrays.equals(b, mb));
    // sealed here, not copied: a local record from before checksums would be refused remotely
    byte[] rb = ChecksummedJson.seal(r.toJson());
    boolean wrote = putOnce(recordName(r.key()), rb, b -> {
      try {
        checkRecord(r.key(), b);
        return true;
      } catch (Corrupt e) {
        return false;
      }
    });
    if (wrote) {
      uploaded.incrementAndGet();
    }
    return wrote;
  }

  /**
   * The record of {@code key} on the remote, checked, without its artifact (what {@code status}
   * needs to follow the keys downstream); empty when there is none or it is corrupt (reported).
   */
  public Optional<ActionRecord> readRecord(String key) throws RemoteException {
    Optional<byte[]> rb = blobs.get(recordName(key));
    if (rb.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(checkRecord(key, rb.get()));
    } catch (Corrupt e) {
      failures.incrementAndGet();
      LOG.warn("remote cache: {}: {}; not used", address().url(e.name), e.getMessage());
      return Optional.empty();
    }
  }

  private interface Check {
    boolean intact(byte[] remote);
  }

  /**
   * Writes {@code name} unless the remote has it: a HEAD first (most names are there already
   * after a first push), then a conditional PUT; on a 412 the copy of the writer who was first
   * is read and checked. A copy known or found to be corrupt is replaced.
   */
  private boolean putOnce(String name, byte[] bytes, Check check) throws RemoteException {
    if (corrupt.contains(name)) {
      blobs.put(name, bytes);
      corrupt.remove(name);
      LOG.warn("remote cache: {}: replaced the corrupt copy", address().url(name));
      return true;
    }
    Optional<Long> len = blobs.head(name);
    boolean sameLength = len.isPresent() && (len.get() == bytes.length
        || name.startsWith("records/"));
    if (sameLength) {
      return false;
    }
    if (len.isEmpty() && blobs.putIfAbsent(name, bytes)) {
      return true;
    }
    // there already: another writer was first (412), or a copy of the wrong length
    Optional<byte[]> there = blobs.get(name);
    if (there.isPresent() && check.intact(there.get())) {
      // absent when we looked and now exactly our bytes: the 412 answered the client's own
      // retry of a PUT whose first response was lost, so the write was ours (a concurrent
      // writer's record differs: it carries its own provenance times)
      return len.isEmpty() && Arrays.equals(there.get(), bytes);
    }
    blobs.put(name, bytes);
    LOG.warn("remote cache: {}: replaced a corrupt copy", address().url(name));
    return true;
  }

  @Override
  public void close() {
    blobs.close();
  }
}
