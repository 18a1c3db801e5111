package io.specwatch.cli.config;

/**
 * One problem in a configuration file: where it is, which key, and what is wrong, phrased as
 * what was found and what is allowed.
 *
 * @param key the key path, e.g. {@code sources.files[0].path}; empty for the whole document
 */
public record ConfigError(String file, int line, int column, String key, String message) {
  /** {@code file:line:column: key: message}, the form editors and CI logs link to. */
  public String render() {
    return file + ":" + line + ":" + column + ": " + (key.isEmpty() ? "" : key + ": ") + message;
  }
}
