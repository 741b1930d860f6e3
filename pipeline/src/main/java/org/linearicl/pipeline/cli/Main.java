package org.linearicl.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.linearicl.core.model.GradientKernel;
import org.linearicl.experiments.stage.UserMistake;
import org.linearicl.pipeline.spec.Nearest;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single entry point: {@code java -jar pipeline/target/linear-icl.jar SUBCOMMAND ...} or
 * {@code mvn -q -pl pipeline exec:java -Dexec.args="SUBCOMMAND ..."}; no arguments means
 * {@code run} (the default profile of pipeline.yaml in the working directory).
 *
 * <p>Exit codes: 0 success, 1 a failure of the computation (logged with its stack trace),
 * 2 a user mistake (a {@link UserMistake} or an IllegalArgumentException: one line on stderr
 * naming the argument and what was expected, one per problem of an invalid pipeline file).
 */
@Command(
    name = "linear-icl",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Reproduction of 'Linear Transformers are Versatile In-Context Learners'.",
        "With no command, runs the default profile of pipeline.yaml as 'run' does."},
    subcommands = {
      CommandLine.HelpCommand.class,
      RecipesCommand.class,
      EvaluateCommand.class,
      BaselinesCommand.class,
      RunCommand.class,
      StatusCommand.class,
      VerifyCommand.class,
      ListCommand.class,
      ShowCommand.class,
      DagCommand.class,
      CleanCommand.class,
      PushCommand.class,
      PullCommand.class,
      DiffCommand.class, GetCommand.class,
    })
public final class Main implements Runnable {
  private static final Logger LOG = LogManager.getLogger(Main.class);
  private static final AtomicBoolean ARITHMETIC_LOGGED = new AtomicBoolean();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this, not {@link #main}). */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output and error writers. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 0) {
      args = new String[] {"run"}; // no arguments: run the default profile of pipeline.yaml
    }
    CommandLine cl = new CommandLine(new Main());
    // their model and recipe options come from the train kind's parameters
    cl.addSubcommand("train", TrainCommand.commandLine());
    cl.addSubcommand("bench", BenchCommand.commandLine());
    PipelineOptions.without(cl.getSubcommands().get("verify"), "--set", "--file");
    PipelineOptions.without(cl.getSubcommands().get("clean"), "--set");
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(Main::onParameterError);
    cl.setExecutionExceptionHandler(Main::onExecutionError);
    return cl.execute(args);
  }

  /**
   * Logs, once per JVM, which lane arithmetic the model kernels use: SIMD only when java runs with
   * {@code --add-modules jdk.incubator.vector}. Both give the same bits; scalar is ~1.7x slower.
   */
  static void logArithmetic() {
    if (ARITHMETIC_LOGGED.compareAndSet(false, true)) {
      String arithmetic;
      try {
        arithmetic = GradientKernel.arithmetic();
      } catch (ExceptionInInitializerError e) { // a bad -Dlinearicl.kernel value
        throw new UserError(String.valueOf(e.getCause().getMessage()), e);
      }
      if (arithmetic.equals("scalar")) {
        LOG.info("model arithmetic: scalar (java --add-modules jdk.incubator.vector enables the"
            + " SIMD kernel: same results, faster)");
      } else {
        LOG.info("model arithmetic: {} (SIMD, jdk.incubator.vector)", arithmetic);
      }
    }
  }

  private static int onParameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message = e.getMessage();
    // picocli wraps type-converter failures; the converter's own message names what is expected
    if (e.getCause() instanceof IllegalArgumentException cause && cause.getMessage() != null) {
      message = cause.getMessage();
    }
    // an unknown option makes a required one look missing ("--varient diag" is reported as
    // "missing --variant"): the typo is the mistake to name
    List<String> unmatched = e instanceof CommandLine.UnmatchedArgumentException u
        ? u.getUnmatched() : cmd.getUnmatchedArguments();
    if (!unmatched.isEmpty()) {
      message = unmatched(new CommandLine.UnmatchedArgumentException(cmd, unmatched));
    }
    err.println("error: " + oneLine(message) + " (see '" + cmd.getCommandSpec().qualifiedName()
        + " --help')");
    err.flush();
    return 2;
  }

  /**
   * What an unmatched argument is, with the suggestions that are close to it: picocli's (the
   * options that share its first two letters, or the most similar subcommands) and, since a typo
   * may be in those letters, every other option of the command.
   */
  static String unmatched(CommandLine.UnmatchedArgumentException e) {
    String arg = e.getUnmatched().get(0);
    boolean option = e.isUnknownOption();
    String name = option && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    boolean command = !option && !e.getCommandLine().getSubcommands().isEmpty();
    String what = option ? "unknown option" : command ? "unknown command" : "unexpected argument";
    List<String> pool = new ArrayList<>(e.getSuggestions());
    if (option) {
      e.getCommandLine().getCommandSpec().options().stream().filter(o -> !o.hidden())
          .forEach(o -> pool.addAll(List.of(o.names())));
    }
    if (command) { // picocli suggests nothing for a short typo ("rn")
      pool.addAll(e.getCommandLine().getSubcommands().keySet());
    }
    List<String> close = Nearest.closest(name, pool);
    return what + " '" + name + "'" + (close.isEmpty() ? ""
        : " (did you mean " + String.join(" or ", close.stream().map(c -> "'" + c + "'")
            .toList()) + "?)");
  }

  private static int onExecutionError(Exception e, CommandLine cmd,
      CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    // a user mistake: the named ones are UserMistakes (the pipeline file's problems, one line
    // each); an IllegalArgumentException is a value's own check or an artifact file's format
    List<String> mistake = e instanceof UserMistake m ? m.lines()
        : e instanceof IllegalArgumentException ? List.of(oneLine(e.getMessage())) : null;
    if (mistake != null) {
      mistake.forEach(line -> err.println("error: " + line));
      err.flush();
      return 2;
    }
    if (e instanceof java.io.IOException io) {
      // the environment's failure (a full disk, a permission), not a bug: its cause in one line,
      // the stack trace at debug level (-Dlinearicl.log.level=debug)
      LOG.debug("{} failed", cmd.getCommandSpec().qualifiedName(), e);
      err.println("failed: " + oneLine(org.linearicl.pipeline.run.Runner.ioCause(io)));
      err.flush();
      return 1;
    }
    LOG.error("{} failed", cmd.getCommandSpec().qualifiedName(), e);
    err.println("failed: " + oneLine(String.valueOf(e.getMessage())) + " (stack trace in the log)");
    err.flush();
    return 1;
  }

  private static String oneLine(String s) {
    return UserMistake.oneLine(s);
  }

  /**
   * The version of the build: the runnable jar's manifest (Implementation-Version, written by
   * the shade plugin), else version.properties (filtered by Maven), which is what the classes
   * directory of {@code mvn exec:java} has.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      String v = Main.class.getPackage().getImplementationVersion();
      if (v == null) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
          if (in != null) {
            p.load(in);
          }
        }
        v = p.getProperty("version", "unknown");
      }
      return new String[] {"linear-icl " + v};
    }
  }
}
