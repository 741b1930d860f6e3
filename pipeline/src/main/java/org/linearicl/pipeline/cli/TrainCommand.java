package org.linearicl.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Being written in the main tree (placeholder so other modules compile meanwhile). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "(in progress)")
public final class TrainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("train is being written");
  }
}
