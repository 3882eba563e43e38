package org.jqmail.inject;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.Qmail;
import org.jqmail.control.QueueClient;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;

/**
 * The small {@code .qmail} and command-line helpers: forward, condredirect, bouncesaying, except
 * (forward(1), condredirect(1), bouncesaying(1), except(1)), mailsubj(1) and datemail. Each method
 * returns the exit code.
 */
final class Helpers {
    private Helpers() {
    }

    /** {@code forward ADDR...}: NEWSENDER and DTLINE required. */
    static int forward(Env env, Qmail.Opener opener, List<byte[]> args, InputStream in, OutputStream err) {
        byte[] sender = env.get("NEWSENDER");
        if (sender == null) {
            return Requeue.say(err, "forward: fatal: NEWSENDER not set\n", 100);
        }
        byte[] dtline = env.get("DTLINE");
        if (dtline == null) {
            return Requeue.say(err, "forward: fatal: DTLINE not set\n", 100);
        }
        return Requeue.run("forward", opener, sender, dtline, in, args, err, 0);
    }

    /**
     * {@code condredirect NEWADDR PROG [ARG...]}: if PROG exits 0, requeues the message to
     * NEWADDR with sender SENDER and exits 99 (no further {@code .qmail} lines).
     */
    static int condredirect(Env env, Qmail.Opener opener, List<byte[]> args, FileInputStream in, OutputStream err) {
        if (args.size() < 2) {
            return Requeue.say(err, "condredirect: usage: condredirect newaddress program [ arg ... ]\n", 100);
        }
        switch (Wrapper.run("condredirect", args.subList(1, args.size()), err)) {
            case TEMPORARY:
                return 111;
            case OTHER:
                return 0;
            default:
                break;
        }
        try {
            in.getChannel().position(0);
        } catch (IOException e) {
            return Requeue.say(err, "condredirect: fatal: unable to rewind: " + Errors.str(e) + "\n", 111);
        }
        byte[] sender = env.get("SENDER");
        if (sender == null) {
            return Requeue.say(err, "condredirect: fatal: SENDER not set\n", 100);
        }
        byte[] dtline = env.get("DTLINE");
        if (dtline == null) {
            return Requeue.say(err, "condredirect: fatal: DTLINE not set\n", 100);
        }
        return Requeue.run("condredirect", opener, sender, dtline, in, List.of(args.get(0)), err, 99);
    }

    /** {@code bouncesaying TEXT [PROG [ARG...]]}. */
    static int bouncesaying(List<byte[]> args, OutputStream err) {
        if (args.isEmpty()) {
            return Requeue.say(err, "bouncesaying: usage: bouncesaying error [ program [ arg ... ] ]\n", 100);
        }
        if (args.size() > 1) {
            switch (Wrapper.run("bouncesaying", args.subList(1, args.size()), err)) {
                case TEMPORARY:
                    return 111;
                case OTHER:
                    return 0;
                default:
                    break;
            }
        }
        return Requeue.say(err, Bytes.concat(args.get(0), new byte[] {'\n'}), 100);
    }

    /** {@code except PROG [ARG...]}: inverts PROG's success. */
    static int except(List<byte[]> args, OutputStream err) {
        if (args.isEmpty()) {
            return Requeue.say(err, "except: usage: except program [ arg ... ]\n", 100);
        }
        switch (Wrapper.run("except", args, err)) {
            case ZERO:
                return 100;
            case TEMPORARY:
                return 111;
            default:
                return 0;
        }
    }

    /**
     * {@code mailsubj SUBJECT RECIP...}: a Subject and To header in front of stdin, given to
     * qmail-inject (this process's, unless {@code bin/qmail-inject} was swapped).
     */
    static int mailsubj(Auto auto, Env env, List<byte[]> args, InputStream in, OutputStream out,
            OutputStream err, long now, long pid) {
        if (args.isEmpty()) {
            return Requeue.say(err, "mailsubj: usage: mailsubj subject [ recip ... ]\n", 100);
        }
        ByteBuf h = new ByteBuf(Integer.MAX_VALUE - 8);
        h.append("Subject: ").append(args.get(0)).append("\nTo:");
        for (byte[] r : args.subList(1, args.size())) {
            h.append(' ').append(r);
        }
        h.append("\n\n");
        List<byte[]> none = new ArrayList<>();
        if (SendmailRun.ours(auto.binDir().resolve("qmail-inject"))) {
            InputStream msg = new SequenceInputStream(new ByteArrayInputStream(h.toByteArray()), in);
            return new Inject(env, auto.home(), QueueClient.opener(auto), msg, out, err, now, pid).run(none);
        }
        List<byte[]> argv = new ArrayList<>();
        argv.add(Bytes.ascii(auto.binDir().resolve("qmail-inject").toString()));
        Child.Result r = Child.feed(argv, h.toByteArray(), in);
        return r.started() ? r.code() : Requeue.say(err, "mailsubj: fatal: unable to run qmail-inject\n", 111);
    }

    /** {@code datemail ARGS} = {@code predate sendmail ARGS}, run in this process. */
    static int datemail(Auto auto, Env env, List<byte[]> args, InputStream in, OutputStream out,
            OutputStream err, long now, long pid) {
        InputStream msg = new SequenceInputStream(
                new ByteArrayInputStream(Prepend.dateLine(now, java.time.ZoneId.systemDefault())), in);
        return new SendmailRun(auto, env, msg, out, err, now, pid).run("sendmail", args);
    }

    /** Standard input as a seekable stream (condredirect rewinds it). */
    static FileInputStream stdin() {
        return new FileInputStream(FileDescriptor.in);
    }
}
