package org.linearicl.pipeline.cache.remote;

/**
 * A remote cache's address, {@code s3://BUCKET[/PREFIX]}: the bucket and the key prefix (empty,
 * or ending in '/') under which the cache's objects/, artifacts/ and records/ live.
 */
public record RemoteAddress(String bucket, String prefix) {
  /** S3's bucket naming rules: 3 to 63 lowercase letters, digits, dots and hyphens. */
  private static final String BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

  /**
   * Parses {@code s3://BUCKET[/PREFIX]}.
   *
   * @throws IllegalArgumentException naming the address and what was expected
   */
  public static RemoteAddress parse(String address) {
    String expected = "; expected s3://BUCKET or s3://BUCKET/PREFIX (a bucket name of 3 to 63"
        + " lowercase letters, digits, dots and hyphens)";
    if (address == null || !address.startsWith("s3://")) {
      throw new IllegalArgumentException("--remote '" + address + "': not an s3:// address"
          + expected);
    }
    String rest = address.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!bucket.matches(BUCKET) || bucket.contains("..")) {
      throw new IllegalArgumentException("--remote '" + address + "': '" + bucket + "' is not a"
          + " bucket name" + expected);
    }
    if (prefix.startsWith("/") || prefix.contains("//") || prefix.chars().anyMatch(
        c -> c < 0x20 || c == 0x7f || c == '\\')) {
      throw new IllegalArgumentException("--remote '" + address + "': malformed prefix '"
          + prefix + "'" + expected + " (a prefix of path segments separated by single '/')");
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix += "/";
    }
    return new RemoteAddress(bucket, prefix);
  }

  /** The object key of {@code name} (e.g. {@code records/<key>.json}) under the prefix. */
  public String key(String name) {
    return prefix + name;
  }

  /** {@code s3://bucket/prefix/name}, for messages. */
  public String url(String name) {
    return "s3://" + bucket + "/" + prefix + name;
  }

  @Override
  public String toString() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0,
        prefix.length() - 1));
  }
}
