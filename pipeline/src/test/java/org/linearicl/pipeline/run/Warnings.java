package org.linearicl.pipeline.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/** Collects the warnings logged through log4j2 while open (for tests). */
public final class Warnings extends AbstractAppender implements AutoCloseable {
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private volatile boolean thrown;
  private final LoggerContext context;

  private Warnings(LoggerContext context) {
    super("test-warnings-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    this.context = context;
  }

  public static Warnings capture() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Warnings w = new Warnings(ctx);
    w.start();
    Configuration cfg = ctx.getConfiguration();
    cfg.addAppender(w);
    cfg.getRootLogger().addAppender(w, Level.WARN, null);
    ctx.updateLoggers();
    return w;
  }

  /** Every warning so far, one per line. */
  public String text() {
    return String.join("\n", messages);
  }

  /** Whether a warning carried a throwable (its stack trace would be on the terminal). */
  boolean thrown() {
    return thrown;
  }

  void clear() {
    messages.clear();
  }

  @Override
  public void append(LogEvent event) {
    if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
      messages.add(event.getMessage().getFormattedMessage());
      thrown |= event.getThrown() != null;
    }
  }

  @Override
  public void close() {
    Configuration cfg = context.getConfiguration();
    cfg.getRootLogger().removeAppender(getName());
    cfg.getAppenders().remove(getName());
    context.updateLoggers();
    stop();
  }
}
