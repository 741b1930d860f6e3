package org.linearicl.pipeline.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run did. {@code failed} maps a stage to its error message, {@code logs} a failed stage
 * to its log file; {@code skipped} stages were not run because an upstream failed.
 */
public record RunReport(String profile, List<String> ran, List<String> cached,
    Map<String, String> failed, Map<String, Path> logs, List<String> skipped,
    List<Path> published, String resume) {
  public RunReport {
    ran = List.copyOf(ran);
    cached = List.copyOf(cached);
    failed = Map.copyOf(failed);
    logs = Map.copyOf(logs);
    skipped = List.copyOf(skipped);
    published = List.copyOf(published);
  }

  /** 0 when every selected stage succeeded, 1 when a stage failed. */
  public int exitCode() {
    return failed.isEmpty() && skipped.isEmpty() ? 0 : 1;
  }
}
