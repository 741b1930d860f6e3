package org.linearicl.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void warmupThenCosineToTheFinalFraction() {
    Schedule s = Schedule.parse("cosine:warmup=10,final=0.1");
    assertEquals(0.1, s.factor(0, 110), 1e-15);
    assertEquals(1.0, s.factor(9, 110), 1e-15);
    assertEquals(1.0, s.factor(10, 110), 1e-15);
    // halfway through the decay (t = 49.5 of 99) the cosine factor is (1 + 0.1) / 2
    assertEquals(0.55, 0.5 * (s.factor(59, 110) + s.factor(60, 110)), 1e-3);
    assertEquals(0.1, s.factor(109, 110), 1e-15);
    for (long t = 10; t < 109; t++) {
      assertTrue(s.factor(t + 1, 110) <= s.factor(t, 110), "monotone after warm-up at " + t);
    }
  }

  @Test
  void specRoundTrips() {
    for (String text : new String[] {"constant", "cosine:warmup=100,final=0.01",
        "cosine:warmup=0,final=0"}) {
      assertEquals(text, Schedule.parse(text).spec());
    }
    assertEquals("cosine:warmup=0,final=0.01", Schedule.parse("cosine").spec());
    assertEquals(1.0, Schedule.parse("constant").factor(12345, 20000));
  }

  @Test
  void malformedSchedulesSayWhatIsExpected() {
    for (String bad : new String[] {"linear", "cosine:warmup=x", "cosine:bogus=1",
        "cosine:final=2", "cosine:warmup=-1"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Schedule.parse(bad));
      assertTrue(e.getMessage().contains("schedule") || e.getMessage().contains("warmup"),
          e.getMessage());
    }
  }
}
