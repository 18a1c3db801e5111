package io.specwatch.ingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the secrets among Kafka client properties in a message about them before it is
 * printed: Kafka's own messages can quote a value (a malformed {@code sasl.jaas.config} is
 * reported with the token it stumbled on, e.g. "Value not specified for key 'secret'" for an
 * unquoted {@code password=my secret}).
 *
 * <p>Secret settings are those whose name says so (password, secret, token, credential) and
 * {@code sasl.jaas.config}; in the latter every option value is a secret (a password, or a
 * username that helps guess one), but not the module's class name, its flag or the option
 * names, which a reader needs to find the mistake.
 */
public final class SecretText {
  private static final String HIDDEN = "[hidden]";
  private static final Pattern TOKEN = Pattern.compile("[^\\s=;\"']+");
  private static final Set<String> JAAS_FLAGS = Set.of("required", "requisite", "sufficient",
      "optional");

  private SecretText() {}

  /** {@code message} with the secrets of {@code properties} replaced by {@code [hidden]}. */
  public static String redact(String message, Map<String, String> properties) {
    if (message == null) {
      return null;
    }
    String out = message;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (!isSecret(e.getKey()) || e.getValue() == null) {
        continue;
      }
      List<String> secrets = new ArrayList<>();
      secrets.add(e.getValue());
      if (e.getKey().equals("sasl.jaas.config")) {
        secrets.addAll(jaasValues(e.getValue()));
      }
      // Longest first, so that a value is not half replaced through a shorter one inside it.
      secrets.sort((a, b) -> b.length() - a.length());
      for (String secret : secrets) {
        if (secret.length() >= 3) {
          out = out.replace(secret, HIDDEN);
        }
      }
    }
    return out;
  }

  /** Whether a client setting holds a secret. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.equals("sasl.jaas.config") || k.contains("password") || k.contains("secret")
        || k.contains("token") || k.contains("credential");
  }

  /** Every token of a JAAS entry but the module, its flag and the option names. */
  private static List<String> jaasValues(String jaas) {
    List<String> values = new ArrayList<>();
    Matcher m = TOKEN.matcher(jaas);
    boolean first = true;
    while (m.find()) {
      String token = m.group();
      boolean optionName = jaas.substring(m.end()).stripLeading().startsWith("=");
      boolean module = first && token.contains(".");
      first = false;
      if (!optionName && !module && !JAAS_FLAGS.contains(token)) {
        values.add(token);
      }
    }
    return values;
  }
}
