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
    // [0.001, 10000): three significant digits, plain, trailing zeros kept, half-up
    "1.768, 1.77",
    "1.64, 1.64",
    "0.118, 0.118",
    "0.006, 0.00600",
    "0.001, 0.00100",
    "0.0123456, 0.0123",
    "0.01235, 0.0123", // the double is 0.012349999...
    "1.125, 1.13", // an exact tie rounds away from zero
    "0.125, 0.125",
    "0.1255, 0.126",
    "12, 12.0",
    "0.5, 0.500",
    "1234.56789, 1230",
    "9994.9, 9990",
    "-0.0421, -0.0421",
    // below 0.001: three significant digits, e-notation, two-digit exponent
    "9.91e-05, 9.91e-05",
    "0.0000991, 9.91e-05",
    "2.5e-12, 2.50e-12",
    "1.14e-07, 1.14e-07",
    "0.00099949, 9.99e-04",
    "-3.456e-6, -3.46e-06",
    "1e-100, 1.00e-100",
    "4.9e-324, 4.94e-324", // the smallest subnormal is 4.940656...e-324,
    // the notation follows the rounded value
    "0.0009996, 0.00100",
    "9999.7, 1.00e+04",
    // 10000 and more: e-notation, never a long run of digits
    "10000, 1.00e+04",
    "123456, 1.23e+05",
    "3.2e80, 3.20e+80",
    "-1.5e300, -1.50e+300",
    "1.7976931348623157e308, 1.80e+308",
    // non-finite
    "NaN, NaN",
    "Infinity, Infinity",
    "-Infinity, -Infinity",
  })
  void format(double x, String expected) {
    assertEquals(expected, LossFormat.format(x));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0.0, 0",
    // >= 0.001: three decimals, half-up, as the paper prints its Table 1
    "1.768, 1.768",
    "1.64, 1.640",
    "0.006, 0.006",
    "0.0125, 0.013",
    "12, 12.000",
    // below 0.001: three significant digits, e-notation; the branch is chosen before rounding
    "9.91e-05, 9.91e-05",
    "0.0009996, 1.00e-03",
    // 10000 and more: e-notation
    "3.2e80, 3.20e+80",
    "NaN, NaN",
  })
  void paper(double x, String expected) {
    assertEquals(expected, LossFormat.paper(x));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0.118", "1.768", "0.00600", "12", "9.91e-05", "3.2e80", "-0.0421"})
  void formatHasThreeSignificantDigits(double x) {
    String s = LossFormat.format(x).replace("-", "");
    String mantissa = s.contains("e") ? s.substring(0, s.indexOf('e')) : s;
    String digits = mantissa.replace(".", "").replaceFirst("^0+", "");
    assertEquals(3, digits.length(), s);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0.1, 0.1",
    "1.768, 1.768",
    "100, 100",
    "0.001, 0.001", // the range's bounds: [0.001, 10000) plain
    "9999.5, 9999.5",
    "0.007000000000000001, 0.007000000000000001",
    "-0.0421, -0.0421",
    // outside it: e-notation with the same shortest digits, the paper csv's style
    "9.91e-05, 9.91e-05",
    "0.0009999, 9.999e-04",
    "10000, 1e+04",
    "123456.5, 1.234565e+05",
    "2.3134796438712068e-29, 2.3134796438712068e-29", // AdaRR on U(0,0)
    "-3.9443045261050593e-36, -3.9443045261050593e-36", // a negative adjusted round-off loss
    "3.2e80, 3.2e+80",
    "1e80, 1e+80",
    "4.9e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308",
  })
  void plainIsTheShortestRoundTripNeverALongRunOfDigits(double x, String expected) {
    assertEquals(expected, LossFormat.plain(x));
    assertEquals(x, Double.parseDouble(LossFormat.plain(x)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0.0, 0", "-0.0, 0", "NaN, NaN", "Infinity, Infinity", "-Infinity, -Infinity"})
  void plainZeroAndNonFinite(double x, String expected) {
    assertEquals(expected, LossFormat.plain(x));
  }

  @ParameterizedTest(name = "{0} ± {1} -> {2}")
  @CsvSource(delimiter = ';', value = {
    "0; 0; 0 \u00b1 0",
    "1.77273546; 0.0098; 1.77 \u00b1 0.00980",
    "2.3134796438712068e-29; 1.03e-30; 2.31e-29 \u00b1 1.03e-30",
    "-3.94e-36; 3.94e-36; -3.94e-36 \u00b1 3.94e-36",
    "-0.0007783; 0.00031; -7.78e-04 \u00b1 3.10e-04",
    "1e80; 3.2e79; 1.00e+80 \u00b1 3.20e+79",
    "12345; 9999.7; 1.23e+04 \u00b1 1.00e+04",
    "NaN; 0; NaN \u00b1 0",
    "Infinity; 0; Infinity \u00b1 0",
  })
  void aValueAndItsStandardErrorPrintInTheSameStyle(double x, double se, String expected) {
    assertEquals(expected, ((Cell.Value) Cell.of(x, se)).formatted());
  }
}
