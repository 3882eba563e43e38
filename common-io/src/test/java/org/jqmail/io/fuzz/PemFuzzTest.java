package org.jqmail.io.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.Pem;
import org.jqmail.io.TlsKeys;

/**
 * PEM key files (control/servercert.pem, doc/TLS.md §2): any bytes give blocks or an
 * IOException naming what is wrong, never another exception, and never more than
 * {@link Pem#MAX_BLOCKS} blocks; the certificate and key readers on top refuse the same way.
 */
class PemFuzzTest extends FuzzTarget {
    PemFuzzTest() {
        super("pem", IOException.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii("-----BEGIN "), Bytes.ascii("-----END "), Bytes.ascii("-----\n"),
                Bytes.ascii("CERTIFICATE"), Bytes.ascii("PRIVATE KEY"), Bytes.ascii("RSA PRIVATE KEY"),
                Bytes.ascii("EC PRIVATE KEY"), Bytes.ascii("=="), Bytes.ascii("Proc-Type: "));
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        List<Pem.Block> blocks = Pem.parse(input);
        assertTrue(blocks.size() <= Pem.MAX_BLOCKS);
        TlsKeys.identity(input);
    }
}
