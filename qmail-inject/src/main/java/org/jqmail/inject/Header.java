package org.jqmail.inject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.jqmail.control.Date822;
import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.Quote;
import org.jqmail.inject.Token822.Token;
import org.jqmail.inject.Token822.Type;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;

/**
 * qmail-inject's header processing ({@code doheaderfield}, {@code finishheader},
 * qmail-inject(8)): rewrites the address fields, collects header recipients and the sender, drops
 * the fields that must not travel, and writes the generated fields followed by the saved ones.
 *
 * <p>The header is held in memory until it ends (qmail opens qmail-queue only then), bounded by
 * {@link #HEADER_MAX} bytes; the body is streamed through.
 */
final class Header implements HeaderBody.Handler {
    /** Folding width of regenerated address fields ({@code LINELEN}). */
    static final int LINELEN = 80;
    /** Bound on the whole header held in memory. */
    static final long HEADER_MAX = 32L * 1024 * 1024;

    private static final byte[] NO_RECIPIENTS = Bytes.ascii("recipient list not shown: ;\n");

    private final Inject in;
    private final Identity id;
    private final List<byte[]> savedh = new ArrayList<>();
    private long savedLen;
    final EnumSet<HeaderField> seen = EnumSet.noneOf(HeaderField.class);
    final List<byte[]> hrlist = new ArrayList<>();
    final List<byte[]> tocclist = new ArrayList<>();
    final List<byte[]> hrrlist = new ArrayList<>();
    boolean resent;

    Header(Inject in, Identity id) {
        this.in = in;
        this.id = id;
    }

    @Override
    public void field(byte[] h) throws Failure {
        HeaderField type = HeaderField.known(h, h.length);
        if ((in.flagDeleteFrom && type == HeaderField.FROM)
                || (in.flagDeleteMessid && type == HeaderField.MESSAGE_ID)
                || (in.flagDeleteSender && type == HeaderField.RETURN_PATH)) {
            return;
        }
        if (type != null) {
            seen.add(type);
        } else if (!HeaderField.valid(h, h.length)) {
            throw Trouble.invalid(h);
        }
        Consumer<List<Token>> rw = rewriter(type);
        if (rw != null) {
            h = rewriteField(h, rw, mayFail(type));
        }
        if (type == HeaderField.BCC || type == HeaderField.R_BCC || type == HeaderField.RETURN_PATH
                || type == HeaderField.CONTENT_LENGTH) {
            return;
        }
        savedLen += h.length;
        if (savedLen > HEADER_MAX) {
            throw Trouble.nomem();
        }
        savedh.add(h);
    }

    private static boolean mayFail(HeaderField type) {
        switch (type) {
            case TO: case CC: case BCC: case APPARENTLY_TO: case R_TO: case R_CC: case R_BCC:
                return true;
            default:
                return false;
        }
    }

    private Consumer<List<Token>> rewriter(HeaderField type) {
        if (type == null) {
            return null;
        }
        Rewrite rw = in.rewrite();
        switch (type) {
            case TO: case CC:
                return a -> {
                    rw.generic(a);
                    hrlist.add(Rewrite.envelope(a));
                    tocclist.add(Rewrite.envelope(a));
                };
            case BCC: case APPARENTLY_TO:
                return a -> {
                    rw.generic(a);
                    hrlist.add(Rewrite.envelope(a));
                };
            case R_TO: case R_CC: case R_BCC:
                return a -> {
                    rw.generic(a);
                    hrrlist.add(Rewrite.envelope(a));
                };
            case RETURN_PATH:
                return this::rwreturn;
            case SENDER: case FROM: case REPLY_TO: case RETURN_RECEIPT_TO: case ERRORS_TO:
            case R_SENDER: case R_FROM: case R_REPLY_TO:
                return rw::generic;
            default:
                return null;
        }
    }

    /** {@code rwreturn}: the first Return-Path address seen becomes the envelope sender. */
    void rwreturn(List<Token> a) {
        in.rewrite().generic(a);
        if (in.sender == null) {
            byte[] s = Rewrite.envelope(a);
            in.sender = in.flagHackRecip ? Bytes.concat(s, Bytes.ascii("-@[]")) : s;
        }
    }

    /**
     * Parses and rewrites one address field. Recipient fields that cannot be parsed pass
     * through unchanged (notqmail); any other unparsable field is fatal.
     */
    private static byte[] rewriteField(byte[] h, Consumer<List<Token>> rw, boolean mayFail) throws PermFail {
        List<Token> t = Token822.parse(h);
        List<Token> out = t == null ? null : AddrList.rewrite(t, rw);
        if (out == null) {
            if (mayFail) {
                return h;
            }
            throw Trouble.parseLine(h);
        }
        return Token822.unparse(out, LINELEN);
    }

    @Override
    public void headerDone() throws Failure {
        resent = seen.contains(HeaderField.R_SENDER) || seen.contains(HeaderField.R_FROM)
                || seen.contains(HeaderField.R_REPLY_TO) || seen.contains(HeaderField.R_TO)
                || seen.contains(HeaderField.R_CC) || seen.contains(HeaderField.R_BCC)
                || seen.contains(HeaderField.R_DATE) || seen.contains(HeaderField.R_MESSAGE_ID);
        if (in.sender == null) {
            defaultReturnPath();
        }
        in.startOutput();
        if (resent) {
            generate("Resent-", HeaderField.R_DATE, HeaderField.R_MESSAGE_ID, HeaderField.R_FROM,
                    HeaderField.R_TO, HeaderField.R_CC);
        } else {
            generate("", HeaderField.DATE, HeaderField.MESSAGE_ID, HeaderField.FROM,
                    HeaderField.TO, HeaderField.CC);
            mailFollowupTo();
        }
        for (byte[] h : savedh) {
            in.put(h);
        }
    }

    private void generate(String prefix, HeaderField date, HeaderField msgid, HeaderField from,
            HeaderField to, HeaderField cc) throws Failure {
        byte[] p = Bytes.ascii(prefix);
        if (!seen.contains(date)) {
            in.put(Bytes.concat(p, Bytes.ascii("Date: "), Date822.fmt(in.now)));
        }
        if (!seen.contains(msgid)) {
            in.put(Bytes.concat(p, Bytes.ascii("Message-ID: <"), Date822.idStamp(in.now), Bytes.ascii("."),
                    Fmt.ulong(in.pid), Bytes.ascii(".qmail@"), in.idhost(), Bytes.ascii(">\n")));
        }
        if (!seen.contains(from)) {
            in.put(Bytes.concat(p, defaultFrom()));
        }
        if (!seen.contains(to) && !seen.contains(cc)) {
            in.put(Bytes.concat(p, Bytes.ascii("Cc: "), NO_RECIPIENTS));
        }
    }

    /** {@code defaultfrommake}: {@code From: "NAME" <USER@HOST>}, or with the name as a comment. */
    private byte[] defaultFrom() throws PermFail {
        List<Token> df = new ArrayList<>();
        df.add(new Token(Type.ATOM, Bytes.ascii("From")));
        df.add(Token.of(Type.COLON));
        byte[] name = id.fullname;
        if (name != null && !in.flagNameComment) {
            df.add(new Token(Type.QUOTE, name));
            df.add(Token.of(Type.LEFT));
        }
        df.add(new Token(id.mailuserType, id.mailuser));
        if (id.mailhost != null) {
            df.add(Token.of(Type.AT));
            df.add(new Token(Type.ATOM, id.mailhost));
        }
        if (name != null && !in.flagNameComment) {
            df.add(Token.of(Type.RIGHT));
        }
        if (name != null && in.flagNameComment) {
            df.add(new Token(Type.COMMENT, name));
        }
        return reparse(Token822.unparse(df, LINELEN), in.rewrite()::generic);
    }

    /** Prints, reparses and rewrites a generated field, as qmail does. */
    private static byte[] reparse(byte[] field, Consumer<List<Token>> rw) throws PermFail {
        List<Token> t = Token822.parse(field);
        if (t == null) {
            throw Trouble.parseLine(field);
        }
        List<Token> out = AddrList.rewrite(t, rw);
        if (out == null) {
            throw Trouble.parseLine(field);
        }
        return Token822.unparse(out, LINELEN);
    }

    /** {@code dodefaultreturnpath}: the envelope sender from QMAILSUSER/QMAILSHOST or the From user/host. */
    private void defaultReturnPath() throws PermFail {
        byte[] user = id.mailruser;
        if (in.flagHackMess) {
            user = Bytes.concat(user, Bytes.ascii("-"), Fmt.ulong(in.now), Bytes.ascii("."), Fmt.ulong(in.pid));
        }
        if (in.flagHackRecip) {
            user = Bytes.concat(user, Bytes.ascii("-"));
        }
        List<Token> drp = new ArrayList<>();
        drp.add(new Token(Type.ATOM, Bytes.ascii("Return-Path")));
        drp.add(Token.of(Type.COLON));
        drp.add(new Token(Type.QUOTE, user));
        if (id.mailrhost != null) {
            drp.add(Token.of(Type.AT));
            drp.add(new Token(Type.ATOM, id.mailrhost));
        }
        reparse(Token822.unparse(drp, LINELEN), this::rwreturn);
    }

    /** {@code finishmft}: Mail-Followup-To when a To/Cc address is a listed mailing list. */
    private void mailFollowupTo() throws Failure {
        if (in.mft() == null || seen.contains(HeaderField.MAIL_FOLLOWUP_TO)) {
            return;
        }
        boolean listed = false;
        for (byte[] a : tocclist) {
            if (in.mft().contains(a)) {
                listed = true;
                break;
            }
        }
        if (!listed) {
            return;
        }
        in.put(Bytes.ascii("Mail-Followup-To: "));
        for (int i = tocclist.size() - 1; i >= 0; i--) {
            in.put(Quote.quote2(tocclist.get(i)));
            if (i > 0) {
                in.put(Bytes.ascii(",\n  "));
            }
        }
        in.put(Bytes.ascii("\n"));
    }

    @Override
    public void body(byte[] b, int off, int n) throws Failure {
        in.put(b, off, n);
    }
}
