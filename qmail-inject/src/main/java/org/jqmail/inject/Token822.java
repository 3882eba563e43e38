package org.jqmail.inject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jqmail.io.ByteBuf;

/**
 * RFC 822 tokens as qmail's {@code token822.c} sees them: parsing a header field into tokens,
 * printing tokens back (with qmail's spacing, escaping and folding) and flattening an address
 * into its envelope form.
 *
 * <p>Entry points: {@link #parse} (null for an unparsable field), {@link #unparse},
 * {@link #unquote}. Address-list walking is in {@link AddrList}.
 *
 * <p>Quirks kept on purpose, because the bytes a drop-in emits must match: {@code )} and
 * {@code ]} may continue an atom (which then prints as a quoted string); a backslash escapes
 * the next byte inside atoms too; nested comments lose their inner parentheses; folding happens
 * only after commas.
 *
 * <p>See also: qmail's {@code token822.c}, {@code qmail-header.5}.
 */
final class Token822 {
    /** Token kinds. */
    enum Type { COMMA, AT, DOT, LEFT, RIGHT, SEMI, COLON, ATOM, QUOTE, LITERAL, COMMENT }

    /** One token; {@code text} is empty for punctuation. */
    record Token(Type type, byte[] text) {
        static Token of(Type type) {
            return new Token(type, EMPTY);
        }

        boolean isWord() {
            return type == Type.ATOM || type == Type.QUOTE || type == Type.LITERAL || type == Type.COMMENT;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private Token822() {
    }

    /** Bytes that end an atom (the others, even {@code )} and {@code ]}, continue it). */
    private static boolean atomok(byte c) {
        switch (c) {
            case ' ': case '\t': case '\r': case '\n':
            case '(': case '[': case '"':
            case '<': case '>': case ';': case ':':
            case '@': case ',': case '.':
                return false;
            default:
                return true;
        }
    }

    private static Type punct(byte c) {
        switch (c) {
            case '.': return Type.DOT;
            case ',': return Type.COMMA;
            case '@': return Type.AT;
            case '<': return Type.LEFT;
            case '>': return Type.RIGHT;
            case ':': return Type.COLON;
            case ';': return Type.SEMI;
            default: return null;
        }
    }

    /** {@code token822_parse}: the tokens of {@code s}, or null if it cannot be parsed. */
    static List<Token> parse(byte[] s) {
        List<Token> out = new ArrayList<>();
        int n = s.length;
        int i = 0;
        while (i < n) {
            byte c = s[i];
            Type p = punct(c);
            if (p != null) {
                out.add(Token.of(p));
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == ')' || c == ']') {
                return null;
            } else if (c == '(' || c == '"' || c == '[') {
                ByteBuf t = new ByteBuf(n);
                i = delimited(s, i, t);
                if (i < 0) {
                    return null;
                }
                Type type = c == '(' ? Type.COMMENT : c == '"' ? Type.QUOTE : Type.LITERAL;
                out.add(new Token(type, t.toByteArray()));
            } else {
                ByteBuf t = new ByteBuf(n);
                i = atom(s, i, t);
                out.add(new Token(atomcheck(t) ? Type.ATOM : Type.QUOTE, t.toByteArray()));
            }
        }
        return out;
    }

    /**
     * Reads a comment, quoted string or domain literal opening at {@code s[i]} into {@code t};
     * returns the index after it, or -1 if it is not closed. Comments nest; their inner
     * parentheses are dropped.
     */
    private static int delimited(byte[] s, int i, ByteBuf t) {
        byte open = s[i];
        int level = 1;
        for (;;) {
            if (++i >= s.length) {
                return -1;
            }
            byte c = s[i];
            if (open == '(' && c == '(') {
                level++;
            } else if ((open == '(' && c == ')') || (open == '"' && c == '"') || (open == '[' && c == ']')) {
                if (--level == 0) {
                    return i + 1;
                }
            } else {
                if (c == '\\') {
                    if (++i >= s.length) {
                        return -1;
                    }
                }
                t.append(s[i]);
            }
        }
    }

    /** Reads an atom starting at {@code s[i]} (whose first byte is always taken); returns the index after it. */
    private static int atom(byte[] s, int i, ByteBuf t) {
        do {
            if (s[i] == '\\') {
                if (++i >= s.length) {
                    return i;
                }
            }
            t.append(s[i]);
            if (++i >= s.length) {
                return i;
            }
        } while (atomok(s[i]));
        return i;
    }

    /** {@code atomcheck}: false if the atom holds a byte that only a quoted string may carry. */
    private static boolean atomcheck(ByteBuf t) {
        for (int i = 0; i < t.length(); i++) {
            byte c = t.byteAt(i);
            if (c < 32 || c > 126 || c == ')' || c == ']' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean needspace(Type t1, Type t2) {
        if (t1 == null) {
            return false;
        }
        if (t1 == Type.COLON || t1 == Type.COMMA || t2 == Type.LEFT) {
            return true;
        }
        return isWord(t1) && isWord(t2);
    }

    private static boolean isWord(Type t) {
        return t == Type.ATOM || t == Type.LITERAL || t == Type.QUOTE || t == Type.COMMENT;
    }

    /**
     * {@code token822_unparse}: prints the tokens with single spaces where qmail puts them,
     * folding after commas with LF and two spaces so that lines stay within {@code linelen}
     * bytes where possible (0: never fold), and ends the result with LF.
     */
    static byte[] unparse(List<Token> ta, int linelen) {
        Folder f = new Folder(linelen);
        Type last = null;
        for (Token t : ta) {
            if (needspace(last, t.type())) {
                f.put((byte) ' ');
            }
            last = t.type();
            switch (t.type()) {
                case COMMA: f.put((byte) ','); f.breakHere(); break;
                case AT: f.put((byte) '@'); break;
                case DOT: f.put((byte) '.'); break;
                case LEFT: f.put((byte) '<'); break;
                case RIGHT: f.put((byte) '>'); break;
                case SEMI: f.put((byte) ';'); break;
                case COLON: f.put((byte) ':'); break;
                default: word(f, t); break;
            }
        }
        f.breakHere();
        return f.finish();
    }

    private static void word(Folder f, Token t) {
        byte close = 0;
        switch (t.type()) {
            case QUOTE: f.put((byte) '"'); close = '"'; break;
            case LITERAL: f.put((byte) '['); close = ']'; break;
            case COMMENT: f.put((byte) '('); close = ')'; break;
            default: break;
        }
        for (byte c : t.text()) {
            switch (c) {
                case '"': case '[': case ']': case '(': case ')': case '\\': case '\r': case '\n':
                    f.put((byte) '\\');
                    break;
                default:
                    break;
            }
            f.put(c);
        }
        if (close != 0) {
            f.put(close);
        }
    }

    /**
     * The output buffer of {@link #unparse}. Every comma leaves a tentative line break; a new
     * break removes the previous one if the joined line still fits, exactly as the
     * {@code NSUW} macro of {@code token822.c} computes it (including its off-by-two).
     */
    private static final class Folder {
        private final int linelen;
        private byte[] b = new byte[128];
        private int s;
        private int lineb;
        private int linee = -1;

        Folder(int linelen) {
            this.linelen = linelen;
        }

        private void room(int n) {
            if (s + n > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(Math.addExact(s, n), Math.multiplyExact(b.length, 2)));
            }
        }

        void put(byte c) {
            room(1);
            b[s++] = c;
        }

        void breakHere() {
            room(2);
            b[s] = '\n';
            b[s + 1] = ' ';
            if (linee >= 0 && (linelen == 0 || s - lineb <= linelen)) {
                System.arraycopy(b, linee + 2, b, linee, s - linee);
                linee = s - 2;
            } else {
                if (linee >= 0) {
                    lineb = linee + 1;
                }
                linee = s;
                s += 2;
            }
        }

        byte[] finish() {
            return java.util.Arrays.copyOf(b, s - 1);
        }
    }

    /**
     * {@code token822_unquote}: the address as it goes into the envelope: punctuation as is,
     * atoms and quoted strings without quotes, literals in brackets, comments dropped.
     */
    static byte[] unquote(List<Token> ta) {
        ByteBuf b = new ByteBuf(Integer.MAX_VALUE - 8);
        for (Token t : ta) {
            switch (t.type()) {
                case COMMA: b.append(','); break;
                case AT: b.append('@'); break;
                case DOT: b.append('.'); break;
                case LEFT: b.append('<'); break;
                case RIGHT: b.append('>'); break;
                case SEMI: b.append(';'); break;
                case COLON: b.append(':'); break;
                case LITERAL: b.append('[').append(t.text()).append(']'); break;
                case ATOM: case QUOTE: b.append(t.text()); break;
                default: break;
            }
        }
        return b.toByteArray();
    }

    /** A reversed copy. */
    static List<Token> reversed(List<Token> ta) {
        List<Token> r = new ArrayList<>(ta);
        Collections.reverse(r);
        return r;
    }
}
