package io.specwatch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores for mutual TLS on 127.0.0.1, made with the JDK's own {@code keytool}: a
 * self-signed broker certificate (with the address 127.0.0.1 as subject alternative name, so
 * clients verify the host as they do by default) and a self-signed client certificate, each
 * trusted by the other side. PKCS12, one password for all; valid for two days.
 */
public record TestCertificates(Path brokerKeystore, Path brokerTruststore, Path clientKeystore,
    Path clientTruststore, String password) {

  /** Makes the four stores in {@code dir} (about a second per keytool run, six runs). */
  public static TestCertificates generate(Path dir) {
    String password = "test-" + Long.toHexString(System.nanoTime());
    TestCertificates c = new TestCertificates(dir.resolve("broker.p12"),
        dir.resolve("broker-trust.p12"), dir.resolve("client.p12"), dir.resolve("client-trust.p12"),
        password);
    keyPair(c.brokerKeystore, "broker", "CN=localhost", "SAN=IP:127.0.0.1,DNS:localhost", password);
    keyPair(c.clientKeystore, "client", "CN=specwatch-client", null, password);
    trust(c.brokerKeystore, "broker", c.clientTruststore, dir.resolve("broker.crt"), password);
    trust(c.clientKeystore, "client", c.brokerTruststore, dir.resolve("client.crt"), password);
    return c;
  }

  private static void keyPair(Path store, String alias, String dname, String san, String password) {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", dname, "-keystore", store.toString(),
        "-storetype", "PKCS12", "-storepass", password, "-keypass", password));
    if (san != null) {
      args.add("-ext");
      args.add(san);
    }
    keytool(args);
  }

  private static void trust(Path from, String alias, Path into, Path cert, String password) {
    keytool(List.of("-exportcert", "-alias", alias, "-keystore", from.toString(), "-storepass",
        password, "-rfc", "-file", cert.toString()));
    keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(),
        "-keystore", into.toString(), "-storetype", "PKCS12", "-storepass", password));
  }

  private static void keytool(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool " + args.get(0) + " did not finish: " + out);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args.get(0) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
