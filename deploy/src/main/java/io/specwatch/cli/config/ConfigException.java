package io.specwatch.cli.config;

import java.util.List;

/** A configuration file that cannot be used, with every problem found in it (not just the first). */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.isEmpty() ? "invalid configuration" : errors.get(0).render());
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
