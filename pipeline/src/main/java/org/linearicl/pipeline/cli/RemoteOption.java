package org.linearicl.pipeline.cli;

import org.linearicl.pipeline.cache.remote.RemoteAddress;
import org.linearicl.pipeline.cache.remote.RemoteCache;
import org.linearicl.pipeline.cache.remote.RemoteException;
import picocli.CommandLine.Option;

/** {@code --remote s3://BUCKET[/PREFIX]}: the remote cache of run, status, push and pull. */
final class RemoteOption {
  @Option(names = "--remote", paramLabel = "URL",
      description = {"A remote cache, s3://BUCKET[/PREFIX], shared through an S3 or"
          + " S3-compatible store: endpoint, region and credentials as the AWS tools take them"
          + " (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or"
          + " AWS_PROFILE and ~/.aws/)."})
  String url;

  boolean given() {
    return url != null;
  }

  /** The parsed address; a malformed one is a user mistake (one line, exit 2). */
  RemoteAddress address() {
    return RemoteAddress.parse(url);
  }

  /**
   * The remote cache, its bucket checked to answer; a malformed address, wrong credentials or a
   * store that does not answer is a user mistake (one line, exit 2).
   */
  RemoteCache open() {
    try {
      return RemoteCache.open(url);
    } catch (RemoteException e) {
      throw new UserError("--remote " + url + ": " + e.getMessage(), e);
    }
  }

  /** What a command that used the remote says about it at the end. */
  static String summary(RemoteCache r) {
    return "remote " + r.address() + ": " + r.fetched() + " stage(s) fetched, " + r.uploaded()
        + " uploaded" + (r.failures() == 0 ? "" : ", " + r.failures() + " problem(s) (see the"
            + " warnings above)");
  }
}
