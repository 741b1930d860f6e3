package org.linearicl.pipeline.cli;

import org.linearicl.core.model.Variant;
import org.linearicl.core.task.NoiseDistribution;
import org.linearicl.core.train.Schedule;
import org.linearicl.core.util.Checks;
import picocli.CommandLine.ITypeConverter;

/**
 * picocli converters for the project's value types, and the checks of options every command
 * shares; their messages say what was expected and become the one-line error of exit code 2.
 */
final class Converters {
  private Converters() {}

  static final class NoiseConverter implements ITypeConverter<NoiseDistribution> {
    @Override
    public NoiseDistribution convert(String value) {
      return NoiseDistribution.parse(value);
    }
  }

  static final class VariantConverter implements ITypeConverter<Variant> {
    @Override
    public Variant convert(String value) {
      return Variant.parse(value);
    }
  }

  static final class ScheduleConverter implements ITypeConverter<Schedule> {
    @Override
    public Schedule convert(String value) {
      return Schedule.parse(value);
    }
  }

  /** The --threads option: the given count (>= 1), or every core when it was not set. */
  static int threads(Integer requested) {
    int t = requested == null ? Runtime.getRuntime().availableProcessors() : requested;
    atLeast("--threads", t, 1);
    return t;
  }

  /** Requires {@code value >= min} for the option {@code name}: "--jobs must be >= 1, got 0". */
  static void atLeast(String name, long value, long min) {
    try {
      Checks.atLeast(name, value, min);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
