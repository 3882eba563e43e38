package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.junit.jupiter.api.Test;

class LocalWorkerProtocolTest {
    @Test
    void requestAndResponseRoundTripInFragments() throws IOException {
        List<byte[]> args = new ArrayList<>();
        for (String a : new String[] {"joe", "/home/joe", "joe-ext", "-", "ext", "example.org", "", "./Maildir/"}) {
            args.add(Bytes.ascii(a));
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        LocalWorkerProtocol.writeRequest(o, args, 5);
        o.write(Bytes.ascii("hello"));
        Chunked in = new Chunked(o.toByteArray(), 3);
        LocalWorkerProtocol.Request r = LocalWorkerProtocol.readRequest(in);
        assertEquals(8, r.args().size());
        assertEquals("./Maildir/", Bytes.str(r.args().get(7)));
        assertEquals("", Bytes.str(r.args().get(6)));
        assertEquals(5, r.messageLength());
        assertEquals("hello", Bytes.str(in.readNBytes(5)));
        assertNull(LocalWorkerProtocol.readRequest(in));

        ByteArrayOutputStream ro = new ByteArrayOutputStream();
        LocalWorkerProtocol.writeResponse(ro, new LocalWorkerProtocol.Response(false, 111, Bytes.ascii("out")));
        LocalWorkerProtocol.Response resp = LocalWorkerProtocol.readResponse(new Chunked(ro.toByteArray(), 1));
        assertEquals(111, resp.code());
        assertEquals("out", Bytes.str(resp.output()));
    }

    @Test
    void hostileLengthsAreRefusedBeforeAllocation() {
        byte[] bad = {0, 0, 0, 8, 0x7f, 0x7f, 0x7f, 0x7f};
        assertThrows(IOException.class, () -> LocalWorkerProtocol.readRequest(new Chunked(bad, 8)));
        byte[] argc = {0, 0, 0, 9};
        assertThrows(IOException.class, () -> LocalWorkerProtocol.readRequest(new Chunked(argc, 8)));
        byte[] resp = {0, 0, 0, 0, 0, 0x7f, 0, 0, 0};
        assertThrows(IOException.class, () -> LocalWorkerProtocol.readResponse(new Chunked(resp, 8)));
    }
}
