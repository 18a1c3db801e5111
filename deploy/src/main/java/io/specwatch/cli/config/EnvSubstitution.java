package io.specwatch.cli.config;

import java.util.Map;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in configuration values with environment
 * variables, so secrets and per-host settings stay out of the file. {@code $${} is a literal
 * {@code ${}. An unset variable without a default is an error, never an empty string: an empty
 * webhook secret or broker address would fail later and far less clearly.
 */
final class EnvSubstitution {
  private final Map<String, String> env;

  EnvSubstitution(Map<String, String> env) {
    this.env = env;
  }

  /** Thrown with a message naming the variable; the caller adds the key and location. */
  static final class UnsetVariable extends Exception {
    UnsetVariable(String message) {
      super(message);
    }
  }

  String apply(String text) throws UnsetVariable {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new UnsetVariable("unterminated `${` (write ${NAME} or ${NAME:-default})");
        }
        out.append(resolve(text.substring(i + 2, end)));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String resolve(String expression) throws UnsetVariable {
    int colon = expression.indexOf(":-");
    String name = colon < 0 ? expression : expression.substring(0, colon);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new UnsetVariable("`${" + expression + "}` is not a variable reference: a name is "
          + "letters, digits and _, not starting with a digit");
    }
    String value = env.get(name);
    if (value != null) {
      return value;
    }
    if (colon >= 0) {
      return expression.substring(colon + 2);
    }
    throw new UnsetVariable("environment variable " + name + " is not set (write ${" + name
        + ":-default} to give a default)");
  }
}
