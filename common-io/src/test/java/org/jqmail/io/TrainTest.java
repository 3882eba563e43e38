package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainTest {
    @Test
    void programsAreSeparatedByTwoSemicolons() {
        List<String[]> l = Train.split(new String[] {"a.A", "-t", ";;", "b.B", ";;", "c.C", "x", "y"});
        assertEquals(3, l.size());
        assertArrayEquals(new String[] {"a.A", "-t"}, l.get(0));
        assertArrayEquals(new String[] {"b.B"}, l.get(1));
        assertArrayEquals(new String[] {"c.C", "x", "y"}, l.get(2));
    }

    @Test
    void noArgumentsIsOneEmptyProgram() {
        List<String[]> l = Train.split(new String[0]);
        assertEquals(1, l.size());
        assertEquals(0, l.get(0).length);
    }
}
