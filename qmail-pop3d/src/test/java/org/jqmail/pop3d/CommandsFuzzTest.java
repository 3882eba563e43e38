package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * POP3 command lines (qmail-popup, qmail-pop3d): any input splits into commands whose verb holds
 * no space and neither part a NUL or LF; a verb and argument joined by a space split back the
 * same (unless the argument ends in CR, which a second split drops, as commands.c would).
 */
class CommandsFuzzTest extends FuzzTarget {
    CommandsFuzzTest() {
        super("pop3-commands", Commands.TooLong.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii("USER "), Bytes.ascii("PASS "), Bytes.ascii("APOP "), Bytes.ascii("RETR 1"),
                Bytes.ascii("TOP 1 0"), Bytes.ascii("QUIT\r\n"), Bytes.ascii("UIDL"), Bytes.ascii("DELE "));
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        SubstdioIn in = new SubstdioIn(new ByteArrayInputStream(input), 64);
        ByteBuf line = new ByteBuf(Commands.LINE_MAX);
        for (Commands.Command c; (c = Commands.read(in, line)) != null;) {
            for (byte b : c.verb()) {
                assertTrue(b != ' ' && b != 0 && b != '\n');
            }
            for (byte b : c.arg()) {
                assertTrue(b != 0 && b != '\n');
            }
            assertTrue(c.arg().length == 0 || c.arg()[0] != ' ');
            if (c.arg().length > 0 && c.arg()[c.arg().length - 1] != '\r') {
                assertEquals(c, Commands.parse(Bytes.concat(c.verb(), Bytes.ascii(" "), c.arg())));
            }
        }
    }
}
