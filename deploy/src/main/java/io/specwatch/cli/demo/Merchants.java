package io.specwatch.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The simulated merchants: noise in each document that the demo spec does not read. */
final class Merchants {
  private Merchants() {}

  /** A merchant, pre-rendered as the JSON members its documents carry. */
  record Merchant(String id, byte[] members) {}

  static final List<Merchant> ALL = List.of(
      merchant("m-0001", "Corner Books", "GB", "GBP"),
      merchant("m-0002", "Café Lumière", "FR", "EUR"),
      merchant("m-0003", "Nordlicht Outdoor", "DE", "EUR"),
      merchant("m-0004", "Blue Fern Grocery", "US", "USD"),
      merchant("m-0005", "Kōbō Ceramics", "JP", "JPY"),
      merchant("m-0006", "Harbor Street Bikes", "US", "USD"),
      merchant("m-0007", "Taverna Kyma", "GR", "EUR"),
      merchant("m-0008", "Maple & Pine Hardware", "CA", "CAD"),
      merchant("m-0009", "Lindqvist Design", "SE", "SEK"),
      merchant("m-0010", "Sol y Sombra Viajes", "ES", "EUR"),
      merchant("m-0011", "Pixelworks Games", "US", "USD"),
      merchant("m-0012", "Alpenhof Ski Rental", "AT", "EUR"));

  static final String[] CARD_BRANDS = {"visa", "mastercard", "amex"};
  static final String[] FAILURE_CODES = {"card_declined", "insufficient_funds", "expired_card",
      "processing_error", "authorization_voided"};
  static final String[] REFUND_REASONS = {"requested_by_customer", "duplicate_order",
      "item_not_received", "damaged_goods"};

  private static Merchant merchant(String id, String name, String country, String currency) {
    String members = "\"merchant\":{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"country\":\""
        + country + "\"},\"currency\":\"" + currency + "\"";
    return new Merchant(id, members.getBytes(StandardCharsets.UTF_8));
  }
}
