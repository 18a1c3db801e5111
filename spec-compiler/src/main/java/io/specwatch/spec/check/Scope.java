package io.specwatch.spec.check;

import io.specwatch.core.program.EventField;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.ValueType;
import java.util.List;
import java.util.Map;

/**
 * What names mean inside one expression: the entity's state variables and enum constants, and,
 * in a handler, the event binding and its fields.
 *
 * @param constants enum constant name to every enum type of the entity that declares it
 * @param binding the handler's name for the event, or null
 * @param fields the event's declared fields by name (empty outside handlers)
 */
record Scope(String entityName, Map<String, StateVar> vars, Map<String, List<ValueType>> constants,
    String binding, String eventName, Map<String, EventField> fields) {}
