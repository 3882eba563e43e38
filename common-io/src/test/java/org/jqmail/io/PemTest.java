package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
    private static byte[] b(String s) {
        return Bytes.ascii(s);
    }

    @Test
    void blocksInOrderWithTextAroundThemIgnored() throws IOException {
        List<Pem.Block> l = Pem.parse(b("subject=/CN=x\n-----BEGIN CERTIFICATE-----\r\nAAEC\nAw==\n"
                + "-----END CERTIFICATE-----\ncomment\n-----BEGIN PRIVATE KEY-----\n/w==\n-----END PRIVATE KEY-----"));
        assertEquals(2, l.size());
        assertEquals("CERTIFICATE", l.get(0).label());
        assertArrayEquals(new byte[] {0, 1, 2, 3}, l.get(0).der());
        assertEquals("PRIVATE KEY", l.get(1).label());
        assertArrayEquals(new byte[] {(byte) 0xff}, l.get(1).der());
        assertEquals(0, Pem.parse(b("no pem here\n")).size());
    }

    @Test
    void malformedBlocksAreRefused() {
        assertThrows(IOException.class, () -> Pem.parse(b("-----BEGIN A-----\nAA==\n-----END B-----\n")));
        assertThrows(IOException.class, () -> Pem.parse(b("-----BEGIN A-----\nAA==\n")));
        assertThrows(IOException.class, () -> Pem.parse(b("-----BEGIN A-----\nA*A=\n-----END A-----\n")));
        assertThrows(IOException.class, () -> Pem.parse(b("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "AA==\n-----END RSA PRIVATE KEY-----\n")));
        assertThrows(IOException.class, () -> Pem.parse(new byte[Pem.MAX_BYTES + 1]));
        assertThrows(IOException.class, () -> Pem.parse(b("-----BEGIN A-----\n-----END A-----\n".repeat(17))));
    }

    @Test
    void keyFilesWithoutAKeyOrCertificateAreRefusedWithTheReason() {
        IOException e = assertThrows(IOException.class, () -> TlsKeys.identity(b("")));
        assertEquals("no certificate", e.getMessage());
        e = assertThrows(IOException.class, () -> TlsKeys.identity(b("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n")));
        assertEquals("the private key is encrypted", e.getMessage());
    }

    /** The fuzz corpus's key files: PKCS #8 RSA, RFC 5915 EC, PKCS #1 RSA before its certificate. */
    @Test
    void everyKeyFormOfTheCorpusGivesAServerContext() throws IOException {
        for (String f : new String[] {"selfsigned-rsa", "selfsigned-ec-sec1", "key-first-pkcs1"}) {
            byte[] pem;
            try (java.io.InputStream in = PemTest.class.getResourceAsStream("/fuzz/pem/" + f)) {
                pem = in.readAllBytes();
            }
            TlsKeys.Identity id = TlsKeys.identity(pem);
            assertEquals(1, id.chain().length, f);
            assertEquals(id.chain()[0].getPublicKey().getAlgorithm(), id.key().getAlgorithm(), f);
            javax.net.ssl.SSLEngine e = TlsKeys.engine(TlsKeys.server(pem), false, null, 0);
            assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, e.getEnabledProtocols(), f);
        }
    }
}
