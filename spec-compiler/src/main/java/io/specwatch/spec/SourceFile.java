package io.specwatch.spec;

/** A spec's text and the name it is reported under (its path as given on the command line). */
public record SourceFile(String name, String text) {}
