package org.jqmail.inject;

import java.util.ArrayList;
import java.util.List;
import org.jqmail.inject.Token822.Token;
import org.jqmail.inject.Token822.Type;

/**
 * qmail-inject's address rewriting, {@code rwgeneric} (qmail-inject(8)), applied to every address
 * it handles.
 *
 * <p>In order: {@code <>} and {@code x@[]} are left alone; a source route ({@code @a,@b:}) is
 * dropped; a trailing {@code .} then a trailing {@code @} is dropped; an address without
 * {@code @} gets {@code @defaulthost}; a last atom ending in {@code +} loses the {@code +} and
 * gets {@code .plusdomain}; a domain without a dot or literal gets {@code .defaultdomain}.
 *
 * <p>Works on the reversed token lists that {@link AddrList} hands out (last token first), as
 * qmail's functions do; the suffix token lists are kept in normal order.
 *
 * <p>See also: {@code qmail-inject.8}.
 */
final class Rewrite {
    private final List<Token> defaulthost;
    private final List<Token> defaultdomain;
    private final List<Token> plusdomain;

    /**
     * @param defaulthost tokens of {@code @defaulthost}
     * @param defaultdomain tokens of {@code .defaultdomain}
     * @param plusdomain tokens of {@code .plusdomain}
     */
    Rewrite(List<Token> defaulthost, List<Token> defaultdomain, List<Token> plusdomain) {
        this.defaulthost = defaulthost;
        this.defaultdomain = defaultdomain;
        this.plusdomain = plusdomain;
    }

    /** {@code rwgeneric} on a reversed address (index 0 is the last token). */
    void generic(List<Token> a) {
        if (a.isEmpty()) {
            return;
        }
        if (a.size() >= 2 && a.get(1).type() == Type.AT && a.get(0).type() == Type.LITERAL
                && a.get(0).text().length == 0) {
            return;
        }
        route(a);
        if (a.isEmpty()) {
            return;
        }
        if (a.get(0).type() == Type.DOT) {
            a.remove(0);
        }
        if (a.isEmpty()) {
            return;
        }
        if (a.get(0).type() == Type.AT) {
            a.remove(0);
        }
        if (a.isEmpty()) {
            return;
        }
        noat(a);
        plus(a);
        nodot(a);
    }

    /** {@code rwroute}: {@code @a,@b:user@host} → {@code user@host}. */
    private static void route(List<Token> a) {
        if (a.get(a.size() - 1).type() != Type.AT) {
            return;
        }
        while (!a.isEmpty()) {
            if (a.remove(a.size() - 1).type() == Type.COLON) {
                return;
            }
        }
    }

    private static void append(List<Token> a, List<Token> suffix) {
        for (Token t : suffix) {
            a.add(0, t);
        }
    }

    /** {@code rwnoat}: no {@code @} anywhere → append {@code @defaulthost}. */
    private void noat(List<Token> a) {
        for (Token t : a) {
            if (t.type() == Type.AT) {
                return;
            }
        }
        append(a, defaulthost);
    }

    /** {@code rwplus}: {@code host+} → {@code host.plusdomain}. */
    private void plus(List<Token> a) {
        Token last = a.get(0);
        if (last.type() != Type.ATOM) {
            return;
        }
        byte[] s = last.text();
        if (s.length == 0 || s[s.length - 1] != '+') {
            return;
        }
        a.set(0, new Token(Type.ATOM, java.util.Arrays.copyOf(s, s.length - 1)));
        append(a, plusdomain);
    }

    /** {@code rwnodot}: a domain with neither dot nor literal gets {@code .defaultdomain}. */
    private void nodot(List<Token> a) {
        for (Token t : a) {
            if (t.type() == Type.DOT) {
                return;
            }
            if (t.type() == Type.AT) {
                break;
            }
        }
        for (Token t : a) {
            if (t.type() == Type.LITERAL) {
                return;
            }
            if (t.type() == Type.AT) {
                break;
            }
        }
        append(a, defaultdomain);
    }

    /** Rewrites a single address given in normal order (recipient arguments, {@code -f}). */
    List<Token> single(List<Token> addr) {
        List<Token> r = Token822.reversed(addr);
        generic(r);
        return Token822.reversed(r);
    }

    /** The envelope form of a reversed address. */
    static byte[] envelope(List<Token> reversed) {
        return Token822.unquote(Token822.reversed(reversed));
    }

    static List<Token> copy(List<Token> l) {
        return new ArrayList<>(l);
    }
}
