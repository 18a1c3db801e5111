package io.specwatch.core.program;

/**
 * {@code on EVENT(binding) requires C1, C2 { body }}. {@code requiresSource[i]} is clause i as
 * written (whitespace folded), quoted in the violation that names it.
 */
public record Handler(Expr[] requires, String[] requiresSource, Stmt[] body, String doc) {}
