package org.linearicl.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.linearicl.pipeline.cache.Store;
import org.linearicl.pipeline.cache.StoreLock;
import org.linearicl.pipeline.cache.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: checks every file of the cache that the runner reads back (objects and
 * manifests by their digest, records and index entries by their checksum).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Checks every file of the cache that is read back.",
        "Every object, manifest, record and index entry; reports the corrupt ones. With"
            + " --repair moves them to quarantine/, deletes the records that use them, rebuilds"
            + " the index from the records and adds checksums to files written before checksums"
            + " were added."})
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PipelineOptions common;

  @Option(names = "--repair", description = "Quarantine corrupt files, delete records using"
      + " them, rebuild the index, add missing checksums.")
  boolean repair;

  @Option(names = "--no-wait", description = "Fail if another runner holds the lock.")
  boolean noWait;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Store store = new Store(common.cacheDir(), !repair);
    switch (store.presence()) {
      case NONE -> {
        out.println("no cache at " + store.root());
        out.flush();
        return 0;
      }
      case OTHER -> throw new UserError("--cache-dir " + store.root() + ": not a cache ("
          + (Files.isDirectory(store.root()) ? "a directory without objects/, artifacts/,"
              + " records/ or index/" : "not a directory") + ")");
      default -> { }
    }
    try (StoreLock lock = StoreLock.acquire(store.lockFile(), !noWait,
        m -> spec.commandLine().getErr().println(m))) {
      Verification v = Verification.check(store, out::println);
      if (repair) {
        Verification.Repair r = v.repair();
        out.println("verify: " + r.quarantined() + " corrupt file(s) quarantined, "
            + r.recordsDeleted() + " record(s) deleted, " + r.indexRebuilt()
            + " index entr" + (r.indexRebuilt() == 1 ? "y" : "ies") + " rebuilt, "
            + r.upgraded() + " legacy file(s) given a checksum");
        out.flush();
        return 0;
      }
      int problems = v.problems();
      if (v.legacy() > 0) {
        out.println("verify: " + v.legacy() + " file(s) written before checksums were added,"
            + " read unchecked; 'verify --repair' adds their checksums");
      }
      out.println("verify: " + (problems == 0 ? "ok" : problems + " problem(s); run 'verify"
          + " --repair' to quarantine them"));
      out.flush();
      return problems == 0 ? 0 : 1;
    } catch (StoreLock.BusyException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }
}
