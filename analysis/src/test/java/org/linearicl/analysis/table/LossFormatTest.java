package org.linearicl.analysis.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossFormatTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // exact zero, either sign
    "0.0, 0",
    "-0.0, 0",
    // >= 0.001: three decimals, half-up
    "1.768, 1.768",
    "1.64, 1.640",
    "0.118, 0.118",
    "0.006, 0.006",
    "0.001, 0.001",
    "0.0123456, 0.012",
    "0.0125, 0.013",
    "12, 12.000",
    "1234.56789, 1234.568",
    "-0.0421, -0.042",
    // below 0.001: three significant digits, e-notation, two-digit exponent
    "9.91e-05, 9.91e-05",
    "0.0000991, 9.91e-05",
    "2.5e-12, 2.50e-12",
    "1.14e-07, 1.14e-07",
    "0.00099949, 9.99e-04",
    "0.0009996, 1.00e-03",
    "-3.456e-6, -3.46e-06",
    "1e-100, 1.00e-100",
    "4.9e-324, 4.94e-324", // the smallest subnormal is 4.940656...e-324,
    // non-finite
    "NaN, NaN",
    "Infinity, Infinity",
    "-Infinity, -Infinity",
  })
  void format(double x, String expected) {
    assertEquals(expected, LossFormat.format(x));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"0.1, 0.1", "9.91e-05, 0.0000991", "0.0, 0", "1.768, 1.768", "100, 100"})
  void plainIsShortestRoundTrip(double x, String expected) {
    assertEquals(expected, LossFormat.plain(x));
    assertEquals(x, Double.parseDouble(LossFormat.plain(x)));
  }
}
