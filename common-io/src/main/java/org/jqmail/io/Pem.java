package org.jqmail.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM text (RFC 7468): the {@code -----BEGIN LABEL-----} ... {@code -----END LABEL-----}
 * blocks of a file such as {@code control/servercert.pem}, which holds a certificate chain and
 * its private key in one file (doc/TLS.md §2). A pure function of bytes, with the JDK only.
 *
 * <p>Text outside blocks is ignored (OpenSSL writes comments there). Inside a block, only
 * base64 and white space are allowed; RFC 1421 headers ({@code Proc-Type}, an encrypted key)
 * are refused. An END line must name the label of its BEGIN line. At most {@link #MAX_BLOCKS}
 * blocks and {@link #MAX_BYTES} bytes of input.
 */
public final class Pem {
    public static final int MAX_BLOCKS = 16;
    public static final int MAX_BYTES = 1 << 20;
    private static final byte[] BEGIN = Bytes.ascii("-----BEGIN ");
    private static final byte[] END = Bytes.ascii("-----END ");
    private static final byte[] DASHES = Bytes.ascii("-----");

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and decoded bytes. */
    public record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /** The blocks of {@code text} in order; an IOException names what is wrong. */
    public static List<Block> parse(byte[] text) throws IOException {
        if (text.length > MAX_BYTES) {
            throw new IOException("PEM file larger than " + MAX_BYTES + " bytes");
        }
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        String label = null;
        ByteBuf body = new ByteBuf(1024, MAX_BYTES);
        while (i < text.length) {
            int eol = i;
            while (eol < text.length && text[eol] != '\n') {
                eol++;
            }
            int end = eol;
            while (end > i && (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t')) {
                end--;
            }
            if (label == null) {
                String l = boundary(text, i, end, BEGIN);
                if (l != null) {
                    label = l;
                    body.clear();
                }
            } else {
                String l = boundary(text, i, end, END);
                if (l != null) {
                    if (!l.equals(label)) {
                        throw new IOException("PEM block BEGIN " + label + " ends with END " + l);
                    }
                    blocks.add(new Block(label, decode(body)));
                    if (blocks.size() > MAX_BLOCKS) {
                        throw new IOException("more than " + MAX_BLOCKS + " PEM blocks");
                    }
                    label = null;
                } else {
                    for (int k = i; k < end; k++) {
                        byte c = text[k];
                        if (c == ':') {
                            throw new IOException("PEM block " + label + " has headers (an encrypted key?)");
                        }
                        if (c != ' ' && c != '\t' && c != '\r') {
                            body.append(c);
                        }
                    }
                }
            }
            i = eol + 1;
        }
        if (label != null) {
            throw new IOException("PEM block " + label + " has no END line");
        }
        return blocks;
    }

    /** The label of a BEGIN/END line ({@code prefix} LABEL {@code -----}), or null. */
    private static String boundary(byte[] s, int from, int to, byte[] prefix) {
        if (to - from < prefix.length + DASHES.length || !at(s, from, prefix)) {
            return null;
        }
        int ls = from + prefix.length;
        int le = to - DASHES.length;
        if (!at(s, le, DASHES)) {
            return null;
        }
        for (int k = ls; k < le; k++) {
            if (s[k] < 0x20 || s[k] > 0x7e || s[k] == '-') {
                return null;
            }
        }
        return Bytes.str(s, ls, le - ls);
    }

    private static boolean at(byte[] s, int off, byte[] p) {
        for (int k = 0; k < p.length; k++) {
            if (s[off + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decode(ByteBuf body) throws IOException {
        try {
            return Base64.getDecoder().decode(body.toByteArray());
        } catch (IllegalArgumentException e) {
            throw new IOException("PEM block is not base64: " + e.getMessage(), e);
        }
    }
}
