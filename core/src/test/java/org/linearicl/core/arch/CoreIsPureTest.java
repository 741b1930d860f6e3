package org.linearicl.core.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one-way rule of docs/method.md (conventions) as a test: core knows nothing of files,
 * JSON/YAML, logging or printing; those belong to the modules above it. (The enforcer's
 * bannedDependencies keeps the libraries off core's classpath; this catches the JDK's own file and
 * console APIs.)
 */
class CoreIsPureTest {
  private static final Pattern FORBIDDEN = Pattern.compile(
      "^import\\s+(static\\s+)?(java\\.io\\.|java\\.nio\\.file\\.|com\\.fasterxml\\."
          + "|org\\.apache\\.logging\\.|org\\.yaml\\.|java\\.util\\.logging\\.)"
          + "|System\\.(out|err)\\.");

  @Test
  void coreImportsNoFileJsonYamlOrLoggingPackages() throws IOException {
    Path main = Path.of("src", "main", "java");
    assertTrue(Files.isDirectory(main), "run from the core module directory: " + main);
    List<String> offences = new ArrayList<>();
    int files = 0;
    try (Stream<Path> paths = Files.walk(main)) {
      for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".java"))::iterator) {
        files++;
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          if (FORBIDDEN.matcher(lines.get(i).trim()).find()) {
            offences.add(p + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertTrue(files > 10, "expected to scan core's sources, found " + files + " files");
    assertEquals(List.of(), offences, "core must stay free of I/O, JSON/YAML and logging");
  }
}
