package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import org.jqmail.control.Date822;
import org.jqmail.control.Qmail;
import org.jqmail.control.Quote;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * Bounces (qmail-send(8)): {@link #add} appends a failed recipient's paragraph to
 * {@code bounce/N} ({@code addbounce}); {@link #inject} sends the accumulated QSBMF bounce, a
 * double bounce, or discards a triple bounce when the message completes
 * ({@code injectbounce}).
 */
final class Bounce {
    private static final int BOUNCE_MAX = 64 * 1024 * 1024;
    private static final byte[] VERP = Bytes.ascii("-@[]");
    private static final byte[] DOUBLE = Bytes.ascii("#@[]");

    private final QueueFiles files;
    private final Controls ctl;
    private final Log log;
    private final Qmail.Opener qq;
    private final SendState st;

    Bounce(QueueFiles files, Controls ctl, Log log, Qmail.Opener qq, SendState st) {
        this.files = files;
        this.ctl = ctl;
        this.log = log;
        this.qq = qq;
        this.st = st;
    }

    /** The paragraph recorded for recipient {@code recip} failing with {@code report}. */
    static byte[] paragraph(byte[] recip, byte[] report) {
        ByteBuf b = new ByteBuf(Math.addExact(recip.length, report.length) + 8);
        b.append('<');
        int start = b.length();
        b.append(recip);
        byte[] a = b.array();
        for (int pos = start; pos < b.length(); pos++) {
            if (a[pos] == '\n') {
                a[pos] = '_';
            }
        }
        b.append(">:\n").append(report);
        if (report.length > 0 && report[report.length - 1] != '\n') {
            b.append('\n');
        }
        a = b.array();
        for (int pos = b.length() - 2; pos > 0; pos--) {
            if (a[pos] == '\n' && a[pos - 1] == '\n') {
                a[pos] = '/';
            }
        }
        b.append('\n');
        return b.toByteArray();
    }

    /** {@code addbounce}: retries every 10 s until the paragraph is appended. */
    void add(long id, byte[] recip, byte[] report) {
        byte[] text = paragraph(Rewrite.stripVdomPrepend(recip, ctl.vdoms), report);
        String fn = QueueFiles.bounce(id);
        for (;;) {
            try (FileChannel ch = files.openAppend(fn)) {
                QueueFiles.writeFully(ch, text, 0, text.length);
                return;
            } catch (IOException e) {
                log.line("alert: unable to append to bounce message; HELP! sleeping...");
                st.clock.sleep(10);
            }
        }
    }

    /**
     * {@code injectbounce}: true if the message may complete (no bounce, bounce sent, or
     * triple bounce discarded); false to retry later, after logging why.
     */
    boolean inject(long id) {
        // As qmail's injectbounce: the bounce file first; most messages have none, and then
        // info/N need not be read.
        String fn2 = QueueFiles.bounce(id);
        try {
            if (files.stat(fn2) == null) {
                return true;
            }
        } catch (IOException e) {
            log.line("warning: unable to stat ", fn2);
            return false;
        }
        InfoCache.Info info = files.infos().getinfo(id);
        if (info == null) {
            return false;
        }
        byte[] sender = info.sender();
        if (sender.length >= 4 && Bytes.endsWith(sender, VERP)) {
            sender = Bytes.sub(sender, 0, sender.length - 4);
        }
        if (java.util.Arrays.equals(sender, DOUBLE)) {
            log.line("triple bounce: discarding ", fn2);
        } else if (!send(id, sender)) {
            return false;
        }
        try {
            java.nio.file.Files.delete(files.path(fn2));
        } catch (IOException e) {
            log.line("warning: unable to unlink ", fn2);
            return false;
        }
        return true;
    }

    private boolean send(long id, byte[] sender) {
        Qmail q;
        try {
            q = qq.open();
        } catch (IOException e) {
            log.line("warning: unable to start qmail-queue, will try later");
            return false;
        }
        boolean single = sender.length > 0;
        byte[] bouncesender = single ? new byte[0] : DOUBLE;
        byte[] bouncerecip = single ? sender : ctl.doublebounceto;
        q.put(head(bouncerecip, single));
        copy(q, QueueFiles.bounce(id));
        q.put(Bytes.ascii(single ? "--- Below this line is a copy of the message.\n\n"
                : "--- Below this line is the original bounce.\n\n"));
        q.put(Bytes.concat(Bytes.ascii("Return-Path: <"), Quote.quote2(sender), Bytes.ascii(">\n")));
        copy(q, files.mess(id));
        q.from(bouncesender);
        q.to(bouncerecip);
        if (!q.close().isEmpty()) {
            log.line("warning: trouble injecting bounce message, will try later");
            return false;
        }
        log.line("bounce msg ", id, " qp ", q.qp());
        return true;
    }

    /** The bounce's header and introduction, up to the failure paragraphs. */
    byte[] head(byte[] bouncerecip, boolean single) {
        ByteBuf b = new ByteBuf(BOUNCE_MAX);
        b.append("Date: ").append(Date822.fmt(st.now()));
        b.append("From: ").append(Quote.quote(ctl.bouncefrom)).append('@').append(ctl.bouncehost);
        b.append("\nTo: ").append(Quote.quote2(bouncerecip));
        b.append("\nSubject: failure notice\n\nHi. This is the qmail-send program at ");
        b.append(ctl.bouncehost);
        b.append(single
                ? ".\nI'm afraid I wasn't able to deliver your message to the following addresses.\n"
                        + "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                : ".\nI tried to deliver a bounce message to this address, but the bounce bounced!\n\n");
        return b.toByteArray();
    }

    private void copy(Qmail q, String fn) {
        try (InputStream in = files.openRead(fn)) {
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) > 0) {
                q.put(buf, 0, r);
            }
        } catch (IOException e) {
            q.fail();
        }
    }
}
