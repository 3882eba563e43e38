package org.jqmail.local;

import org.jqmail.control.PermFail;
import static org.jqmail.local.T.argv;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgsTest {
    private static final String USAGE =
            "qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty";

    @Test
    void eightArgumentsWithoutOptionsDeliver() throws Exception {
        Args a = Args.parse(argv("u", "/h", "l", "-", "e", "d", "s", "./Mailbox"), Output.NONE);
        assertTrue(a.doit());
        assertEquals("u", s(a.user()));
        assertEquals("/h", s(a.homedir()));
        assertEquals("l", s(a.local()));
        assertEquals("-", s(a.dash()));
        assertEquals("e", s(a.ext()));
        assertEquals("d", s(a.host()));
        assertEquals("s", s(a.sender()));
        assertEquals("./Mailbox", s(a.aliasempty()));
    }

    @ParameterizedTest
    @CsvSource({"-n,false", "-N,true", "-nN,true", "-Nn,false", "-nnnN,true"})
    void flagsAreGetoptFlags(String flags, boolean doit) throws Exception {
        Args a = Args.parse(argv(flags, "u", "/h", "l", "-", "e", "d", "s", "x"), Output.NONE);
        assertEquals(doit, a.doit());
    }

    @Test
    void doubleDashEndsOptionsSoADashUserIsAllowed() throws Exception {
        Args a = Args.parse(argv("-n", "--", "-u", "/h", "l", "", "", "d", "", "x"), Output.NONE);
        assertFalse(a.doit());
        assertEquals("-u", s(a.user()));
        assertEquals("", s(a.dash()));
    }

    @Test
    void loneDashIsAnArgument() throws Exception {
        Args a = Args.parse(argv("-", "/h", "l", "-", "e", "d", "s", "x"), Output.NONE);
        assertEquals("-", s(a.user()));
    }

    @Test
    void anythingStartingWithTwoDashesEndsOptionsAndIsConsumed() throws Exception {
        // subgetopt: "--xyz" is taken as the end of the options, like "--".
        Args a = Args.parse(argv("--xyz", "u", "/h", "l", "-", "e", "d", "s", "x"), Output.NONE);
        assertEquals("u", s(a.user()));
    }

    @Test
    void wrongCountOrRelativeHomeIsUsage() {
        for (List<byte[]> a : List.of(argv("u", "/h", "l", "-", "e", "d", "s"),
                argv("u", "/h", "l", "-", "e", "d", "s", "x", "extra"),
                argv("u", "h", "l", "-", "e", "d", "s", "x"),
                argv("u", "", "l", "-", "e", "d", "s", "x"),
                argv("-n"),
                argv())) {
            PermFail f = assertThrows(PermFail.class, () -> Args.parse(a, Output.NONE));
            assertEquals(USAGE, s(f.text()));
            assertEquals(100, f.exitCode());
        }
    }

    @Test
    void unknownOptionIsComplainedAboutThenUsage() {
        BufferOutput out = new BufferOutput(1000);
        PermFail f = assertThrows(PermFail.class,
                () -> Args.parse(argv("-nx", "u", "/h", "l", "-", "e", "d", "s", "x"), out));
        assertEquals("qmail-local: illegal option -- x\n", s(out.bytes()));
        assertEquals(USAGE, s(f.text()));
    }

    @Test
    void argumentsEndAtTheirFirstNul() throws Exception {
        Args a = Args.parse(argv("u\u0000junk", "/h", "l", "-", "e", "d", "s", "x"), Output.NONE);
        assertEquals("u", s(a.user()));
    }

    @Test
    void workerRequestsAreArgumentsAfterDoubleDash() throws Exception {
        Args a = Args.delivery(argv("-n", "/h", "l", "-", "e", "d", "s", "x"));
        assertTrue(a.doit());
        assertEquals("-n", s(a.user()));
        assertThrows(PermFail.class, () -> Args.delivery(argv("u", "h", "l", "-", "e", "d", "s", "x")));
    }
}
