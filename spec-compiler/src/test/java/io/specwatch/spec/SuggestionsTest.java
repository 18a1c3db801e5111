package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final String SPEC = "spec s\nentity O key id {\n  status: enum { Placed, Paid }\n  total: int\n}\n"
      + "event paid for O when type == \"p\"\n";

  @Test
  void aMisspeltConstantSuggestsTheClosestName() {
    String errors = Specs.errors(SPEC + "on paid requires status == Plcaed { }\n");
    assertTrue(errors.contains("unknown name `Plcaed` (did you mean `Placed`?)"), errors);
  }

  @Test
  void aMisspeltVariableSuggestsTheVariable() {
    String errors = Specs.errors(SPEC + "on paid requires totl > 0 { }\n");
    assertTrue(errors.contains("unknown name `totl` (did you mean `total`?)"), errors);
  }

  @Test
  void aNameFarFromEverythingSuggestsNothing() {
    String errors = Specs.errors(SPEC + "on paid requires refunded > 0 { }\n");
    assertTrue(errors.contains("unknown name `refunded`: expected"), errors);
  }
}
