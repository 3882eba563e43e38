package org.jqmail.io;

import java.io.IOException;

/**
 * The little DER (X.690) that {@link TlsKeys} needs to wrap a PKCS #1 or RFC 5915 private key
 * into PKCS #8, which is what the JDK's key factories read: a SEQUENCE, an OCTET STRING, and
 * the named curve of an EC key. Reads are bounded by the array and fail with IOException.
 */
final class Der {
    private Der() {
    }

    static byte[] cat(byte[]... parts) {
        return Bytes.concat(parts);
    }

    static byte[] seq(byte[] body) {
        return tlv(0x30, body);
    }

    static byte[] octets(byte[] body) {
        return tlv(0x04, body);
    }

    static byte[] tlv(int tag, byte[] body) {
        int n = body.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        return Bytes.concat(new byte[] {(byte) tag}, len, body);
    }

    /**
     * The curve OID (tag, length and value) in an RFC 5915 ECPrivateKey: SEQUENCE { INTEGER,
     * OCTET STRING, [0] OID, ... }.
     */
    static byte[] curve(byte[] key) throws IOException {
        int[] p = {0};
        int end = enter(key, p, 0x30, key.length);
        while (p[0] < end) {
            int tag = key[p[0]] & 0xff;
            int start = p[0];
            int bodyEnd = enter(key, p, tag, end);
            if (tag == 0xa0) {
                int oidStart = p[0];
                enter(key, p, 0x06, bodyEnd);
                return Bytes.sub(key, oidStart, bodyEnd);
            }
            if (start >= bodyEnd) {
                break;
            }
            p[0] = bodyEnd;
        }
        throw new IOException("EC private key without its named curve");
    }

    /** Reads a tag and length at p; leaves p at the body; returns the body's end. */
    private static int enter(byte[] s, int[] p, int tag, int limit) throws IOException {
        int i = p[0];
        if (i + 2 > limit || (s[i] & 0xff) != tag) {
            throw new IOException("bad DER in private key");
        }
        int n = s[i + 1] & 0xff;
        i += 2;
        if (n >= 0x80) {
            int k = n & 0x7f;
            if (k < 1 || k > 3 || i + k > limit) {
                throw new IOException("bad DER length in private key");
            }
            n = 0;
            for (int j = 0; j < k; j++) {
                n = (n << 8) | (s[i++] & 0xff);
            }
        }
        if (n > limit - i) {
            throw new IOException("DER length beyond the private key");
        }
        p[0] = i;
        return i + n;
    }
}
