package org.linearicl.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequireTest {
  @Test
  void theFirstNullFieldIsNamed() {
    Require.nonNull("a", 1, "b", "x");
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Require.nonNull("a", 1, "b", null, "c", null));
    assertEquals("b", e.getMessage());
  }

  @Test
  void anUnpairedNameIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Require.nonNull("a", 1, "b"));
  }
}
