package io.specwatch.alert.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint on loopback that records what it is posted and answers a set status. */
final class WebhookReceiver implements AutoCloseable {
  record Request(byte[] body, String signature, String authorization) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  final AtomicInteger status = new AtomicInteger(200);

  WebhookReceiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/hook", ex -> {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      int s = status.get();
      if (s == 200) {
        synchronized (requests) {
          requests.add(new Request(body, ex.getRequestHeaders().getFirst(HmacSignature.HEADER),
              ex.getRequestHeaders().getFirst("Authorization")));
        }
      }
      ex.sendResponseHeaders(s, -1);
      ex.close();
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
