package org.jqmail.inject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.jqmail.inject.Token822.Token;
import org.jqmail.inject.Token822.Type;

/**
 * {@code token822_addrlist}: walks the address list of a header field and hands every address
 * to a callback that may rewrite it in place.
 *
 * <p>The field's tokens include its name and colon (the first two tokens, copied through).
 * qmail parses the list from right to left, so the callback sees the addresses of one field
 * last to first, each as its own token list <em>in reverse order</em> (the last token first),
 * exactly as qmail's rewriting functions receive them. Separating commas are inserted between
 * words that lack them ({@code djb fred} becomes {@code djb, fred}); comments and the phrase
 * before {@code <...>} pass through untouched. Groups ({@code name: a, b;}) are understood; a
 * colon outside a group, or a {@code >} without its {@code <}, makes the list unparsable.
 *
 * <p>See also: qmail's {@code token822.c}.
 */
final class AddrList {
    private final List<Token> in;
    private final Consumer<List<Token>> callback;
    private final List<Token> out = new ArrayList<>();
    private final List<Token> addr = new ArrayList<>();
    private int t;

    private AddrList(List<Token> in, Consumer<List<Token>> callback) {
        this.in = in;
        this.callback = callback;
    }

    /**
     * The rewritten field's tokens, or null if the address list cannot be parsed (the callback
     * may already have seen some addresses by then).
     */
    static List<Token> rewrite(List<Token> field, Consumer<List<Token>> callback) {
        return new AddrList(field, callback).walk();
    }

    private static final int BEGINNING = 2;

    private List<Token> walk() {
        boolean ingroup = false;
        boolean wordok = true;
        t = in.size() - 1;
        while (t >= BEGINNING) {
            Type type = in.get(t).type();
            switch (type) {
                case SEMI:
                    flushComma();
                    if (ingroup) {
                        return null;
                    }
                    ingroup = true;
                    wordok = true;
                    outLeft();
                    break;
                case COLON:
                    flush();
                    if (!ingroup) {
                        return null;
                    }
                    ingroup = false;
                    while (t >= BEGINNING && in.get(t).type() != Type.COMMA) {
                        outLeft();
                    }
                    if (t >= BEGINNING) {
                        outLeft();
                    }
                    wordok = true;
                    break;
                case RIGHT:
                    flushComma();
                    outLeft();
                    while (t >= BEGINNING && in.get(t).type() != Type.LEFT) {
                        addrLeft();
                    }
                    // The address is used even when it is empty: <>.
                    gotaddr();
                    if (t < BEGINNING) {
                        return null;
                    }
                    outLeft();
                    while (t >= BEGINNING && phrase(in.get(t).type())) {
                        outLeft();
                    }
                    wordok = false;
                    break;
                case ATOM: case QUOTE: case LITERAL:
                    if (!wordok) {
                        flushComma();
                    }
                    wordok = false;
                    addrLeft();
                    break;
                case COMMENT:
                    // A comment is lexically a space: it does not change wordok.
                    outLeft();
                    break;
                case COMMA:
                    flush();
                    wordok = true;
                    outLeft();
                    break;
                default:
                    wordok = true;
                    addrLeft();
                    break;
            }
        }
        flush();
        for (int k = t; k >= 0; k--) {
            out.add(in.get(k));
        }
        Collections.reverse(out);
        return out;
    }

    private static boolean phrase(Type type) {
        return type == Type.COMMENT || type == Type.ATOM || type == Type.QUOTE || type == Type.AT || type == Type.DOT;
    }

    private void outLeft() {
        out.add(in.get(t--));
    }

    private void addrLeft() {
        addr.add(in.get(t--));
    }

    private void gotaddr() {
        callback.accept(addr);
        out.addAll(addr);
        addr.clear();
    }

    private void flush() {
        if (!addr.isEmpty()) {
            gotaddr();
        }
    }

    private void flushComma() {
        if (!addr.isEmpty()) {
            gotaddr();
            out.add(Token.of(Type.COMMA));
        }
    }
}
