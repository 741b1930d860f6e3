package org.linearicl.experiments.stage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.linearicl.core.util.Sha256;

/**
 * The output of a stage: a set of named files (a checkpoint, an evaluation, tables and figures),
 * immutable, with one content digest.
 *
 * <p>The {@link #digest()} is the SHA-256 of a manifest that lists, in name order, each file's
 * name, length and SHA-256; it depends on the bytes only, so two runs that produce the same files
 * produce the same digest and leave everything downstream cached. Names are relative paths with
 * '/' separators ({@code figures/fig1.png}); no empty segments, "." or "..".
 */
public final class Artifact {
  private final SortedMap<String, byte[]> files;
  private final String digest;

  private Artifact(SortedMap<String, byte[]> files) {
    this.files = files;
    this.digest = Sha256.hex(manifest(files).getBytes(StandardCharsets.UTF_8));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An artifact of one UTF-8 text file. */
  public static Artifact ofText(String name, String text) {
    return builder().text(name, text).build();
  }

  /** The file names, sorted. */
  public java.util.SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new java.util.TreeSet<>(files.keySet()));
  }

  public boolean has(String name) {
    return files.containsKey(name);
  }

  /** A copy of the bytes of file {@code name}; a {@link StageException} if there is none. */
  public byte[] bytes(String name) {
    byte[] b = files.get(name);
    if (b == null) {
      throw new StageException("artifact " + shortDigest() + " has no file '" + name
          + "', only " + files.keySet());
    }
    return b.clone();
  }

  /** File {@code name} decoded as UTF-8. */
  public String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The total size of the files in bytes. */
  public long size() {
    long s = 0;
    for (byte[] b : files.values()) {
      s += b.length;
    }
    return s;
  }

  /** The SHA-256 of the manifest, as 64 lower-case hex digits. */
  public String digest() {
    return digest;
  }

  /** The first 12 hex digits of the digest, for messages. */
  public String shortDigest() {
    return digest.substring(0, 12);
  }

  /**
   * The manifest the digest is taken of: one line per file, {@code <sha256> <length> <name>},
   * sorted by name, LF-terminated. A store can keep it beside the files to verify them.
   */
  public String manifest() {
    return manifest(files);
  }

  private static String manifest(SortedMap<String, byte[]> files) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      sb.append(Sha256.hex(e.getValue())).append(' ').append(e.getValue().length).append(' ')
          .append(e.getKey()).append('\n');
    }
    return sb.toString();
  }

  /** Checks a file name: a relative '/'-separated path without empty, "." or ".." segments. */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    boolean ok = !name.isEmpty() && !name.contains("\\") && !name.contains("\n");
    if (ok) {
      for (String segment : name.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      throw new IllegalArgumentException("artifact file name '" + name
          + "': expected a relative path like 'tables/table1.csv'");
    }
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Artifact a && a.digest.equals(digest);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "Artifact[" + shortDigest() + ", " + files.keySet() + "]";
  }

  /** Collects files; a name may be added once. */
  public static final class Builder {
    private final SortedMap<String, byte[]> files = new TreeMap<>();

    private Builder() {}

    public Builder bytes(String name, byte[] content) {
      checkName(name);
      Objects.requireNonNull(content, "content");
      if (files.putIfAbsent(name, Arrays.copyOf(content, content.length)) != null) {
        throw new IllegalArgumentException("artifact file '" + name + "' added twice");
      }
      return this;
    }

    /** A UTF-8 text file; text must use LF line endings (it is compared across machines). */
    public Builder text(String name, String text) {
      if (text.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("artifact file '" + name
            + "': text must use LF line endings");
      }
      return bytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds every file of {@code other} under {@code prefix + "/"}. */
    public Builder all(String prefix, Artifact other) {
      for (Map.Entry<String, byte[]> e : other.files.entrySet()) {
        bytes(prefix + "/" + e.getKey(), e.getValue());
      }
      return this;
    }

    public Artifact build() {
      return new Artifact(new TreeMap<>(files));
    }
  }
}
