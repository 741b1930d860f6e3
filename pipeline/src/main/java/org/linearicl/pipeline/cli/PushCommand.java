package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.linearicl.pipeline.cache.ActionRecord;
import org.linearicl.pipeline.cache.CorruptArtifactException;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.remote.RemoteCache;
import org.linearicl.pipeline.cache.remote.RemoteException;
import org.linearicl.pipeline.spec.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code push}: uploads the selected stages' cached artifacts to the remote cache. */
@Command(name = "push", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Uploads the cached stages to the remote cache.",
        "For the selected stages (all by default) and what they need: each stage whose current"
            + " key is cached here is uploaded with its artifact, unless the remote has it."
            + " Runs nothing. Exit 1 when an upload failed or a local artifact is corrupt."})
public final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TransferOptions options;

  @Override
  public Integer call() throws IOException {
    TransferOptions.Selected sel = options.select(spec, "push", "upload to");
    Pipeline p = sel.pipeline();
    PrintWriter out = spec.commandLine().getOut();
    Store store = options.common.store();
    AtomicInteger failed = new AtomicInteger();
    try (RemoteCache r = options.remote.open()) {
      RemoteWalk.Outcome o = RemoteWalk.walk(sel.stages(), (s, key) -> {
        Optional<ActionRecord> rec = store.findRecord(key);
        if (rec.isEmpty()) {
          return Optional.empty();
        }
        try {
          boolean wrote = r.upload(rec.get(), store);
          out.println((wrote ? "pushed   " : "present  ") + s.name());
        } catch (CorruptArtifactException e) {
          failed.incrementAndGet();
          out.println("corrupt  " + s.name() + ": " + e.getMessage() + " (`run` recomputes it)");
          return Optional.empty();
        } catch (RemoteException e) {
          failed.incrementAndGet();
          out.println("FAILED   " + s.name() + ": " + e.getMessage());
        }
        return Optional.of(rec.get().artifact());
      });
      out.println("push to " + r.address() + " (profile " + p.profile() + "): " + r.uploaded()
          + " uploaded, " + (o.found().size() - r.uploaded() - failed.get())
          + " already there, " + failed.get() + " failed, " + o.missing().size()
          + " not cached here" + RemoteWalk.unknown(o));
      out.flush();
      return failed.get() > 0 ? 1 : 0;
    }
  }
}
