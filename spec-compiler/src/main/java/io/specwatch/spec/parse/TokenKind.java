package io.specwatch.spec.parse;

/** Token kinds. Keywords are {@link #WORD}s; the parser decides where a word is a keyword. */
public enum TokenKind {
  WORD("a name"),
  INT("an integer"),
  DURATION("a duration"),
  STRING("a string"),
  LBRACE("`{`"), RBRACE("`}`"), LPAREN("`(`"), RPAREN("`)`"), LBRACKET("`[`"), RBRACKET("`]`"),
  COMMA("`,`"), SEMI("`;`"), COLON("`:`"), DOT("`.`"),
  EQ("`==`"), NE("`!=`"), LT("`<`"), LE("`<=`"), GT("`>`"), GE("`>=`"),
  ASSIGN("`=`"), PLUS_ASSIGN("`+=`"), MINUS_ASSIGN("`-=`"),
  PLUS("`+`"), MINUS("`-`"), STAR("`*`"), SLASH("`/`"), PERCENT("`%`"),
  NEWLINE("a new line"),
  EOF("the end of the file");

  public final String description;

  TokenKind(String description) {
    this.description = description;
  }
}
