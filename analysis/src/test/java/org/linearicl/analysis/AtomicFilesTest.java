package org.linearicl.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @Test
  void aWrittenFileHasItsContentAndIsReadableByAll(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("sub/table.md");
    AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "| a |\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("| a |\n", Files.readString(target));
    try (var files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "no temporary file is left");
    }
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
    // a temporary file is owner-only; a published table or checkpoint must not be
    assertEquals("rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }
}
