package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's rules; children themselves are started in SpawnFdMapIT. */
class SpawnTest {
    private final Spawn sp = new Spawn(null, "/bin/true", List.of("true"));

    @Test
    void descriptorsMustBeInRange() {
        assertThrows(IllegalArgumentException.class, () -> sp.pipeTo(-1));
        assertThrows(IllegalArgumentException.class, () -> sp.pipeFrom(1024));
        assertThrows(IllegalArgumentException.class, () -> sp.inherit(3, -1));
        sp.pipeFrom(1023);
    }

    @Test
    void streamsAndStatusNeedAStartedChild() {
        sp.pipeTo(0).pipeFrom(1);
        assertThrows(IllegalStateException.class, () -> sp.to(0));
        assertThrows(IllegalStateException.class, () -> sp.from(1));
        assertThrows(IllegalStateException.class, sp::waitFor);
        assertThrows(IllegalStateException.class, () -> sp.kill(15));
        assertEquals(-1, sp.pid());
    }
}
