package org.jqmail.remote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A resolver answering from tables; names not listed are NXDOMAIN (hard). */
final class FakeResolver implements Resolver {
    private final Map<String, Object> mx = new HashMap<>();
    private final Map<String, Object> a = new HashMap<>();
    final List<String> queries = new ArrayList<>();

    static final String SOFT = "soft";
    static final String HARD = "hard";

    FakeResolver mx(String name, Object... prefAndNames) {
        List<Mx> l = new ArrayList<>();
        for (int i = 0; i < prefAndNames.length; i += 2) {
            l.add(new Mx((Integer) prefAndNames[i], ((String) prefAndNames[i + 1]).getBytes(StandardCharsets.ISO_8859_1)));
        }
        mx.put(name.toLowerCase(), l);
        return this;
    }

    FakeResolver mxFails(String name, String how) {
        mx.put(name.toLowerCase(), how);
        return this;
    }

    FakeResolver a(String name, String... ips) {
        int[] v = new int[ips.length];
        for (int i = 0; i < ips.length; i++) {
            v[i] = ip(ips[i]);
        }
        a.put(name.toLowerCase(), v);
        return this;
    }

    FakeResolver aFails(String name, String how) {
        a.put(name.toLowerCase(), how);
        return this;
    }

    static int ip(String s) {
        int[] v = new int[1];
        if (!Ip.literal(s.getBytes(StandardCharsets.ISO_8859_1), v)) {
            throw new IllegalArgumentException(s);
        }
        return v[0];
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Mx> mx(byte[] name) throws SoftFail, HardFail {
        String n = new String(name, StandardCharsets.ISO_8859_1);
        queries.add("MX " + n);
        Object o = mx.get(n.toLowerCase());
        fail(o);
        return (List<Mx>) o;
    }

    @Override
    public int[] a(byte[] name) throws SoftFail, HardFail {
        String n = new String(name, StandardCharsets.ISO_8859_1);
        queries.add("A " + n);
        Object o = a.get(n.toLowerCase());
        fail(o);
        return (int[]) o;
    }

    private static void fail(Object o) throws SoftFail, HardFail {
        if (o == null || o == HARD) {
            throw new HardFail("nxdomain");
        }
        if (o == SOFT) {
            throw new SoftFail("servfail");
        }
    }
}
