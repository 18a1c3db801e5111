package io.specwatch.core.program;

/** {@code invariant NAME for ENTITY: EXPR}; {@code index} is its position within its entity. */
public record Invariant(String name, int index, Expr condition, String doc) {}
