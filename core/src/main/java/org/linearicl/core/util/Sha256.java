package org.linearicl.core.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The project's one content digest: SHA-256 as 64 lower-case hex digits. Artifacts, cache
 * objects, cache keys, checksummed files and the published list are all named or checked by it.
 */
public final class Sha256 {
  private Sha256() {}

  /** The SHA-256 of {@code bytes} as 64 lower-case hex digits. */
  public static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
