package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.util.List;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.Stage;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options of push and pull, which move the cached stages between this cache and a remote
 * one: the pipeline file and cache, the stages, and {@code --remote}, which both require.
 */
final class TransferOptions {
  @Mixin PipelineOptions common;
  @Mixin StageSelection stages;
  @Mixin RemoteOption remote;

  /** The expanded pipeline and its selected stages, in topological order. */
  record Selected(Pipeline pipeline, List<Stage> stages) {}

  /**
   * The selected stages, once {@code --remote} is checked to be given and well formed (before
   * anything is read or created); a missing one is the user's mistake, {@code "<command>:
   * missing --remote ..., expected the remote cache to <purpose>"}.
   */
  Selected select(CommandSpec spec, String command, String purpose) throws IOException {
    if (!remote.given()) {
      throw new UserError(command + ": missing --remote s3://BUCKET[/PREFIX], expected the"
          + " remote cache to " + purpose);
    }
    remote.address();
    Pipeline p = common.load(spec, stages.profile.name);
    return new Selected(p, p.select(stages.targets));
  }
}
