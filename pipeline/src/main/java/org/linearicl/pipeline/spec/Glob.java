package org.linearicl.pipeline.spec;

import java.util.regex.Pattern;

/** A stage-name glob: {@code *} matches any characters, {@code ?} one character. */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text) {
    this.text = text;
    StringBuilder re = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?') {
        if (lit.length() > 0) {
          re.append(Pattern.quote(lit.toString()));
          lit.setLength(0);
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        lit.append(c);
      }
    }
    if (lit.length() > 0) {
      re.append(Pattern.quote(lit.toString()));
    }
    this.pattern = Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  public static Glob of(String text) {
    return new Glob(text);
  }

  public static boolean isGlob(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  public boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
