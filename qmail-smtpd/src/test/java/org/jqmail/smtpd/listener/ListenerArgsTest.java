package org.jqmail.smtpd.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListenerArgsTest {
    @Test
    void installRunLine() throws ListenerArgs.Usage {
        ListenerArgs a = ListenerArgs.parse(new String[] {"-u", "qmaild", "-g", "nofiles", "-x",
            "/var/qmail/etc/tcp.smtp.cdb", "0", "25"});
        assertEquals("qmaild", a.user);
        assertEquals("nofiles", a.group);
        assertEquals("/var/qmail/etc/tcp.smtp.cdb", a.rules);
        assertEquals("0", a.host);
        assertEquals("25", a.port);
        assertEquals(1000, a.limit);
        assertEquals(ListenerArgs.BACKLOG, a.backlog);
        assertTrue(a.remoteHost);
        assertEquals(1, a.verbosity);
    }

    @Test
    void groupedFlagsAndAttachedValues() throws ListenerArgs.Usage {
        ListenerArgs a = ListenerArgs.parse(new String[] {"-vHRX1", "-c10", "-lmx.example", "127.0.0.1", "smtp"});
        assertEquals(2, a.verbosity);
        assertFalse(a.remoteHost);
        assertTrue(a.allowNoRules);
        assertTrue(a.printPort);
        assertEquals(10, a.limit);
        assertEquals("mx.example", a.localName);
    }

    @Test
    void withoutHostAndPortOnlyHandoffs() throws ListenerArgs.Usage {
        ListenerArgs a = ListenerArgs.parse(new String[] {"-u", "qmaild", "-g", "nofiles", "-v"});
        assertEquals(null, a.host);
        assertEquals(null, a.port);
        assertEquals(2, a.verbosity);
    }

    @Test
    void badUsage() throws ListenerArgs.Usage {
        assertEquals(java.util.List.of("x", "/bin/checkpassword", "/bin/true"),
                ListenerArgs.parse(new String[] {"-S", "0", "25", "x", "/bin/checkpassword", "/bin/true"}).smtpdArgs);
        assertThrows(ListenerArgs.Usage.class, () -> ListenerArgs.parse(new String[] {"0"}));
        assertThrows(ListenerArgs.Usage.class, () -> ListenerArgs.parse(new String[] {"-c", "0", "0", "25"}));
        assertThrows(ListenerArgs.Usage.class, () -> ListenerArgs.parse(new String[] {"-Z", "0", "25"}));
        assertThrows(ListenerArgs.Usage.class, () -> ListenerArgs.parse(new String[] {"-c"}));
    }
}
