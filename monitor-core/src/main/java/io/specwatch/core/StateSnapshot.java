package io.specwatch.core;

import io.specwatch.core.json.JsonText;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.StateVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An instance's state at the moment a violation was raised. Sets are shared, not copied: the
 * runtime never mutates a committed set (see {@link io.specwatch.core.eval.Frame}).
 */
public final class StateSnapshot {
  private final EntityType entity;
  private final long[] longs;
  private final Object[] refs;

  public StateSnapshot(EntityType entity, long[] longs, Object[] refs) {
    this.entity = entity;
    this.longs = longs.clone();
    this.refs = refs.clone();
  }

  /** Writes the state as a JSON object: variables in declaration order, per the contract. */
  public void appendJson(StringBuilder sb) {
    sb.append('{');
    boolean first = true;
    for (StateVar v : entity.vars()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      JsonText.appendString(sb, v.name());
      sb.append(':');
      appendValue(sb, v);
    }
    sb.append('}');
  }

  private void appendValue(StringBuilder sb, StateVar v) {
    switch (v.type().kind()) {
      case INT, DURATION -> sb.append(longs[v.slot()]);
      case BOOL -> sb.append(longs[v.slot()] != 0);
      case TIME -> JsonText.appendString(sb, Rfc3339.format(longs[v.slot()]));
      case ENUM -> JsonText.appendString(sb, v.type().constants().get((int) longs[v.slot()]));
      case STRING -> JsonText.appendString(sb, (String) refs[v.slot()]);
      case SET_INT -> {
        List<Long> sorted = new ArrayList<>(asSet(refs[v.slot()], Long.class));
        sorted.sort(null);
        sb.append('[');
        for (int i = 0; i < sorted.size(); i++) {
          sb.append(i == 0 ? "" : ",").append(sorted.get(i));
        }
        sb.append(']');
      }
      case SET_STRING -> {
        List<String> sorted = new ArrayList<>(asSet(refs[v.slot()], String.class));
        sorted.sort(StateSnapshot::compareCodePoints);
        sb.append('[');
        for (int i = 0; i < sorted.size(); i++) {
          sb.append(i == 0 ? "" : ",");
          JsonText.appendString(sb, sorted.get(i));
        }
        sb.append(']');
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Set<T> asSet(Object o, Class<T> element) {
    return (Set<T>) o;
  }

  /** Orders strings by Unicode code point (String.compareTo orders UTF-16 units). */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  public EntityType entity() {
    return entity;
  }
}
