package org.linearicl.pipeline.cache;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.linearicl.core.util.Sha256;
import org.linearicl.experiments.artifacts.Json;

/**
 * A JSON file that carries its own checksum (records, index entries, the published manifest).
 * The first field, {@code "checksum"}, is the SHA-256 of the file's exact bytes with that
 * field's value written as 64 zeros: any changed byte, whitespace included, fails the check, and
 * the file stays plain JSON for other tools. A file without the field is accepted as legacy
 * (written before checksums) only if its fields are exactly those of the legacy format, so a
 * flipped byte in the name {@code "checksum"} is not mistaken for a legacy file.
 */
public final class ChecksummedJson {
  /** The name of the checksum field. */
  public static final String FIELD = "checksum";
  private static final String ZEROS = "0".repeat(64);
  /** Strict: trailing bytes after the object and duplicate fields are errors, not ignored. */
  private static final ObjectReader STRICT = Json.TREES.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private ChecksummedJson() {}

  /** What {@link #open} read: the fields without the checksum, and whether it had none. */
  public record Opened(ObjectNode body, boolean legacy) {}

  /** The bytes of {@code body} with its checksum as the first field. */
  public static byte[] seal(ObjectNode body) {
    if (body.has(FIELD)) {
      throw new IllegalArgumentException("body already has a '" + FIELD + "' field");
    }
    ObjectNode o = Json.TREES.createObjectNode();
    o.put(FIELD, ZEROS);
    o.setAll(body);
    byte[] b = Json.bytes(o);
    String sum = Sha256.hex(b);
    int at = indexOf(b, quoted(ZEROS));
    System.arraycopy(sum.getBytes(StandardCharsets.US_ASCII), 0, b, at + 1, 64);
    return b;
  }

  /**
   * Parses and checks {@code bytes} read from {@code path}; {@code legacyFields} are the fields
   * of the format written before checksums (empty: there was none).
   *
   * @throws CorruptArtifactException naming {@code path} when the bytes are not valid JSON, the
   *     checksum does not match, or there is no checksum and the fields are not the legacy ones
   */
  public static Opened open(Path path, byte[] bytes, Set<String> legacyFields)
      throws CorruptArtifactException {
    JsonNode n;
    try {
      n = STRICT.readTree(bytes);
    } catch (IOException | RuntimeException e) {
      throw new CorruptArtifactException(path, path + ": not valid JSON ("
          + firstLine(e.getMessage()) + ")");
    }
    if (n == null || !n.isObject()) {
      throw new CorruptArtifactException(path, path + ": not a JSON object");
    }
    ObjectNode o = (ObjectNode) n.deepCopy();
    JsonNode sum = o.remove(FIELD);
    if (sum == null) {
      Set<String> names = new HashSet<>();
      o.fieldNames().forEachRemaining(names::add);
      if (legacyFields.isEmpty() || !names.equals(legacyFields)) {
        throw new CorruptArtifactException(path, path + ": no checksum and not of the legacy"
            + " format (fields " + new java.util.TreeSet<>(names) + ")");
      }
      return new Opened(o, true);
    }
    String s = sum.isTextual() ? sum.textValue() : "";
    if (!s.matches("[0-9a-f]{64}")) {
      throw new CorruptArtifactException(path, path + ": malformed checksum");
    }
    byte[] zeroed = Arrays.copyOf(bytes, bytes.length);
    int at = indexOf(zeroed, quoted(s));
    if (at < 0) { // the value was written with escapes: not what seal writes
      throw new CorruptArtifactException(path, path + ": checksum mismatch");
    }
    System.arraycopy(ZEROS.getBytes(StandardCharsets.US_ASCII), 0, zeroed, at + 1, 64);
    if (!Sha256.hex(zeroed).equals(s)) {
      throw new CorruptArtifactException(path, path + ": checksum mismatch");
    }
    return new Opened(o, false);
  }

  private static byte[] quoted(String hex) {
    return ('"' + hex + '"').getBytes(StandardCharsets.US_ASCII);
  }

  /** The first index of {@code needle} in {@code hay}, or -1. */
  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
