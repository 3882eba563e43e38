package org.jqmail.inject;

import java.util.HashMap;
import java.util.Map;
import org.jqmail.io.ProcSelf;

/**
 * An environment as exact bytes: the process's own ({@link ProcSelf#environ()}), or a copy
 * that a wrapper changed before handing over (sendmail sets {@code QMAILUSER} and friends for
 * the qmail-inject it runs).
 */
final class Env {
    private final Map<String, byte[]> vars;

    Env(Map<String, byte[]> vars) {
        this.vars = vars;
    }

    /** This process's environment. */
    static Env process() {
        return new Env(ProcSelf.environ());
    }

    /** The value of {@code name}, or null if unset. */
    byte[] get(String name) {
        return vars.get(name);
    }

    /** The first of {@code names} that is set, or null. */
    byte[] first(String... names) {
        for (String n : names) {
            byte[] v = vars.get(n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A copy with {@code changes} applied: a null value unsets the variable. */
    Env with(Map<String, byte[]> changes) {
        Map<String, byte[]> m = new HashMap<>(vars);
        for (Map.Entry<String, byte[]> e : changes.entrySet()) {
            if (e.getValue() == null) {
                m.remove(e.getKey());
            } else {
                m.put(e.getKey(), e.getValue());
            }
        }
        return new Env(m);
    }

    Map<String, byte[]> asMap() {
        return vars;
    }
}
