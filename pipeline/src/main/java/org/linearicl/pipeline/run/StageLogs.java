package org.linearicl.pipeline.run;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Copies what a stage logs through log4j2 (events whose ThreadContext has {@code stage}) into
 * that stage's log file, while the runner is active. Events still go to the console too.
 */
final class StageLogs extends AbstractAppender {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final Map<String, PrintWriter> writers = new ConcurrentHashMap<>();
  private final LoggerContext context;

  private StageLogs(LoggerContext context) {
    super("stage-logs-" + IDS.incrementAndGet(), null,
        PatternLayout.newBuilder().withPattern("%d{ISO8601} %-5level %c{1} - %msg%n%throwable")
            .build(), true, Property.EMPTY_ARRAY);
    this.context = context;
  }

  /** Adds the appender to the root logger; null when log4j-core is not the implementation. */
  static StageLogs install() {
    if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
      return null;
    }
    StageLogs a = new StageLogs(ctx);
    a.start();
    Configuration cfg = ctx.getConfiguration();
    cfg.addAppender(a);
    cfg.getRootLogger().addAppender(a, null, null);
    ctx.updateLoggers();
    return a;
  }

  void register(String stage, PrintWriter w) {
    writers.put(stage, w);
  }

  void unregister(String stage) {
    writers.remove(stage);
  }

  void uninstall() {
    Configuration cfg = context.getConfiguration();
    cfg.getRootLogger().removeAppender(getName());
    Appender removed = cfg.getAppenders().get(getName());
    if (removed != null) {
      cfg.getAppenders().remove(getName());
    }
    context.updateLoggers();
    stop();
  }

  @Override
  public void append(LogEvent event) {
    String stage = event.getContextData().getValue("stage");
    PrintWriter w = stage == null ? null : writers.get(stage);
    if (w != null) {
      synchronized (w) {
        w.print(new String(getLayout().toByteArray(event),
            java.nio.charset.StandardCharsets.UTF_8));
        w.flush();
      }
    }
  }
}
