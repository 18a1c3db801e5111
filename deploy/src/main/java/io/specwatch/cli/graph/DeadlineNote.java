package io.specwatch.cli.graph;

import java.util.List;

/** A deadline of the machine's entity: {@code deadline NAME: after ... expect ... within D}. */
public record DeadlineNote(String name, List<String> after, List<String> expect, String within) {

  public DeadlineNote {
    after = List.copyOf(after);
    expect = List.copyOf(expect);
  }

  /** {@code settle: after authorized expect captured or failed within 10m}. */
  public String text() {
    return name + ": after " + String.join(" or ", after) + " expect " + String.join(" or ", expect)
        + " within " + within;
  }
}
