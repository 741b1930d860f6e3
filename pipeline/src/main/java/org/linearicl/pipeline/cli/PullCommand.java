package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.cache.remote.RemoteCache;
import org.linearicl.pipeline.spec.Pipeline;
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
  @Mixin TransferOptions options;

  @Override
  public Integer call() throws IOException {
    TransferOptions.Selected sel = options.select(spec, "pull", "download from");
    Pipeline p = sel.pipeline();
    OutputPaths.writableCache(options.common);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Store store = new Store(options.common.cacheDir());
    try (RemoteCache r = options.remote.open();
        StoreLock lock = StoreLock.acquire(store.lockFile(), true, msg -> {
          err.println(msg);
          err.flush();
        })) {
      store.init();
      int[] local = {0};
      RemoteWalk.Outcome o = RemoteWalk.walk(sel.stages(), (s, key) -> {
        Store.Lookup here = store.lookup(key);
        if (here.hit()) {
          local[0]++;
          return Optional.of(here.artifact().digest());
        }
        if (here.corrupt() != null) {
          out.println("corrupt  " + s.name() + ": " + here.corrupt() + "; pulled again");
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
