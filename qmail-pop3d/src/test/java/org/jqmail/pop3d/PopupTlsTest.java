package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.jqmail.io.TlsKeys;
import org.jqmail.io.TlsStreams;
import org.junit.jupiter.api.Test;

/** qmail-popup's CAPA, STLS, POP3S and TLSREQUIRED (doc/POP3.md §6) with a real handshake. */
class PopupTlsTest {
    static final String GREETING = PopupTest.GREETING;
    static final String CAPA_CLEAR = "+OK capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nSTLS\r\n.\r\n";
    static final String CAPA_TLS = "+OK capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n";

    static byte[] pem() throws IOException {
        try (InputStream in = PopupTlsTest.class.getResourceAsStream("/fuzz/pem/selfsigned-ec-sec1")) {
            return in.readAllBytes();
        }
    }

    /** Records the logins and whether each came with a TLS connection. */
    static final class Fake implements Popup.Subprogram {
        final List<String> logins = new ArrayList<>();

        @Override
        public Outcome run(byte[] fd3) {
            logins.add("clear " + Bytes.str(fd3.clone()));
            return Outcome.SUCCESS;
        }

        @Override
        public Outcome run(byte[] fd3, TlsStreams tls) {
            logins.add("tls " + Bytes.str(fd3.clone()));
            return Outcome.SUCCESS;
        }
    }

    static String clear(String input, PopTls t, Fake sub) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Popup(new Chunked(input, 3), out, Bytes.ascii("mail.example"), Popup.unique(4242, 1_700_000_000L), sub)
                .tls(t).run();
        return Bytes.str(out.toByteArray());
    }

    @Test
    void withoutAKeyFileCapaAndStlsAreQmailsUnknownCommands() throws IOException {
        assertEquals(GREETING + "-ERR authorization first\r\n-ERR authorization first\r\n+OK \r\n",
                clear("CAPA\r\nSTLS\r\nQUIT\r\n", null, new Fake()));
    }

    @Test
    void capaListsStlsAndUserInClearText() throws IOException {
        assertEquals(GREETING + CAPA_CLEAR + "+OK \r\n", clear("CAPA\r\nQUIT\r\n", new PopTls(true, pem(), false, false),
                new Fake()));
    }

    @Test
    void tlsRequiredRefusesUserAndPassInClearButNotApop() throws IOException {
        Fake sub = new Fake();
        assertEquals(GREETING + "+OK capability list follows\r\nTOP\r\nUIDL\r\nSTLS\r\n.\r\n"
                + "-ERR TLS required: use STLS first\r\n-ERR TLS required: use STLS first\r\n",
                clear("CAPA\r\nUSER joe\r\nPASS pw\r\nAPOP joe d\r\n", new PopTls(true, pem(), false, true), sub));
        assertEquals(List.of("clear joe\0d\0<4242.1700000000@mail.example>\0"), sub.logins);
    }

    @Test
    void anUnusableKeyFileAnswersStlsWithAnErrorAndStaysInClearText() throws IOException {
        assertEquals(GREETING + "-ERR TLS not available\r\n+OK \r\n",
                clear("STLS\r\nQUIT\r\n", new PopTls(true, null, false, false), new Fake()));
    }

    @Test
    void pop3sWithoutAUsableKeyFileClosesAtOnce() throws IOException {
        assertEquals("", clear("USER joe\r\n", new PopTls(false, null, true, false), new Fake()));
    }

    /** A client connected to a Popup thread through pipes. */
    static final class Peer {
        final InputStream in;
        final OutputStream out;
        final Thread server;
        final AtomicReference<Throwable> failed = new AtomicReference<>();

        Peer(PopTls t, Fake sub) throws IOException {
            PipedInputStream c2s = new PipedInputStream(1 << 16);
            PipedInputStream s2c = new PipedInputStream(1 << 16);
            out = new PipedOutputStream(c2s);
            OutputStream sOut = new PipedOutputStream(s2c);
            in = s2c;
            Popup p = new Popup(c2s, sOut, Bytes.ascii("mail.example"), Popup.unique(4242, 1_700_000_000L), sub).tls(t);
            server = new Thread(() -> {
                try {
                    p.run();
                    sOut.close();
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            server.start();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    /** One line, byte by byte, so that nothing after it (TLS records) is read. */
    static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return b.toString();
    }

    static String lines(InputStream in, int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(line(in));
        }
        return b.toString();
    }

    static TlsStreams client(Peer p) throws IOException {
        TlsStreams t = new TlsStreams(TlsKeys.engine(TlsKeys.client(null, null), true, null, 0), p.in, p.out);
        t.handshake();
        return t;
    }

    @Test
    void stlsRestartsTheSessionInTlsAndDropsWhatWasPipelinedBeforeIt() throws Exception {
        Fake sub = new Fake();
        Peer p = new Peer(new PopTls(true, pem(), false, true), sub);
        assertEquals(GREETING, line(p.in));
        // USER after STLS in the same write: read ahead in clear text, never run in TLS.
        p.send("STLS\r\nUSER evil\r\n");
        assertEquals("+OK begin TLS negotiation\r\n", line(p.in));
        TlsStreams t = client(p);
        t.out.write(Bytes.ascii("CAPA\r\nPASS pw\r\nSTLS\r\nUSER joe\r\nPASS s3cret\r\n"));
        assertEquals(CAPA_TLS + "-ERR USER first\r\n-ERR already in TLS\r\n+OK \r\n", lines(t.in, 8));
        p.server.join();
        assertEquals(-1, t.in.read());
        assertEquals(null, p.failed.get());
        assertEquals(List.of("tls joe\0s3cret\0<4242.1700000000@mail.example>\0"), sub.logins);
    }

    @Test
    void pop3sGreetsOverTls() throws Exception {
        Fake sub = new Fake();
        Peer p = new Peer(new PopTls(true, pem(), true, false), sub);
        TlsStreams t = client(p);
        assertEquals(GREETING, line(t.in));
        t.out.write(Bytes.ascii("CAPA\r\nQUIT\r\n"));
        assertEquals(CAPA_TLS + "+OK \r\n", lines(t.in, 6));
        p.server.join();
        assertEquals(-1, t.in.read());
        assertTrue(sub.logins.isEmpty());
    }
}
