package org.linearicl.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Being written in the main tree (placeholder so other modules compile meanwhile). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "(in progress)")
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("bench is being written");
  }
}
