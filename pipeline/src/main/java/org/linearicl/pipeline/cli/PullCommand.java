package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.linearicl.experiments.stage.Artifact;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.cache.remote.RemoteCache;
import org.linearicl.pipeline.spec.Pipeline;
import org.linearicl.pipeline.spec.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pull}: downloads the selected stages the local cache lacks from the remote cache. */
@Command(name = "pull", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Downloads cached stages from the remote cache.",
        "For the selected stages (all by default) and what they need: each stage whose current"
            + " key the local cache lacks and the remote holds is downloaded with its artifact,"
            + " every byte checked against its digest. Runs nothing. Exit 1 when a remote copy"
            + " was corrupt or a download failed."})
public final class PullCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;
  @Mixin StageSelection stages;
  @Mixin RemoteOption remote;

  @Override
  public Integer call() throws IOException {
    if (!remote.given()) {
      throw new UserError("pull: missing --remote s3://BUCKET[/PREFIX], expected the remote"
          + " cache to download from");
    }
    remote.address(); // a malformed address before anything is read or created
    Pipeline p = common.load(spec, stages.profile.name);
    List<Stage> selected = p.select(stages.targets);
    OutputPaths.writableCache(common);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Store store = new Store(common.cacheDir());
    try (RemoteCache r = remote.open();
        StoreLock lock = StoreLock.acquire(store.lockFile(), true, msg -> {
          err.println(msg);
          err.flush();
        })) {
      store.init();
      int[] local = {0};
      RemoteWalk.Outcome o = RemoteWalk.walk(selected, (s, key) -> {
        Optional<ActionRecord> rec = store.findRecord(key);
        if (rec.isPresent()) {
          try {
            Artifact a = store.get(rec.get().artifact());
            local[0]++;
            return Optional.of(a.digest());
          } catch (CorruptArtifactException e) {
            out.println("corrupt  " + s.name() + ": " + e.getMessage() + "; pulled again");
          }
        }
        Optional<ActionRecord> f = r.fetch(key, store);
        f.ifPresent(x -> out.println("pulled   " + s.name()));
        return f.map(ActionRecord::artifact);
      });
      out.println("pull from " + r.address() + " (profile " + p.profile() + "): " + r.fetched()
          + " pulled, " + local[0] + " already here, " + o.missing().size() + " not on the"
          + " remote" + RemoteWalk.unknown(o) + (r.failures() == 0 ? "" : ", " + r.failures()
              + " problem(s) (see the warnings above)"));
      out.flush();
      return r.failures() > 0 ? 1 : 0;
    }
  }
}
